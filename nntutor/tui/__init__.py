"""The Textual front end: ``nntutor`` with no sub-command opens it on a workspace."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    """Resolve the workspace (created on first run) and run the app until the learner quits."""
    from nntutor.cli import UsageError, resolve_workspace
    from nntutor.core.workspace import WorkspaceError
    from nntutor.tui.app import create_app

    try:
        app = create_app(resolve_workspace(args.workspace), manual=args.manual)
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot use the workspace {exc.filename}: {exc.strerror}") from None
    app.run()
    return 0
