"""The Textual front end (issue: the nntutor TUI)."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    from nntutor.cli import cmd_list

    print("The nntutor TUI is not built yet; here is the catalogue.")
    return cmd_list(args)
