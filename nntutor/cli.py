"""The ``nntutor`` command line: every sub-command calls the same headless core."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from nntutor import __version__
from nntutor.batch import FORMATS
from nntutor.core.catalogue import Exercise, ManifestError, default_catalogue


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit 2, never a traceback."""


def resolve_workspace(explicit: str | None, cwd: Path | None = None) -> Path:
    """--workspace, else the current folder if it is a workspace, else $NNTUTOR_WORKSPACE,
    else the default workspace in the user's data folder (created on first use)."""
    from nntutor.core.workspace import Workspace

    if explicit:
        return Path(explicit).expanduser().resolve()
    cwd = cwd or Path.cwd()
    if Workspace.is_workspace(cwd):
        return cwd
    if os.environ.get("NNTUTOR_WORKSPACE"):
        return Path(os.environ["NNTUTOR_WORKSPACE"]).expanduser().resolve()
    from platformdirs import user_data_path

    return user_data_path("nntutor") / "workspace"


def _exercise(exercise_id: str) -> Exercise:
    try:
        return default_catalogue().get(exercise_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def _epoch_progress():  # -> EpochProgress | None
    """A live progress bar of training epochs on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None  # logs and piped JSON stay clean, and Rich is not even imported
    from rich.console import Console

    from nntutor.render import EpochProgress

    return EpochProgress(Console(stderr=True))


def cmd_grade(args: argparse.Namespace) -> int:
    from nntutor.batch.command import BadInput, run_grade

    args.exercises = [_exercise(e).id for e in args.exercise] if args.exercise else None
    try:
        return run_grade(args, epoch_progress=_epoch_progress)
    except BadInput as exc:
        raise UsageError(str(exc)) from None


def cmd_gradescope_autograder(args: argparse.Namespace) -> int:
    from nntutor.batch.gradescope import BundleError, build_autograder

    exercises = [_exercise(e).id for e in args.exercise] if args.exercise else None
    try:
        build_autograder(Path(args.zip), exercises=exercises)
    except BundleError as exc:
        raise UsageError(str(exc)) from None
    print(f"Gradescope autograder written to {args.zip}: upload it as the assignment's autograder")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from nntutor.core.workspace import Workspace

    root = resolve_workspace(args.workspace)
    workspace = Workspace.open(root) if Workspace.is_workspace(root) else None
    table = Table(
        title="nntutor exercises" + (f" — {root}" if workspace else ""), title_justify="left"
    )
    for column in ("id", "function", "title", "status", "best"):
        table.add_column(column)
    for track in default_catalogue().tracks:
        table.add_section()
        for ex in track.exercises:
            entry = workspace.progress.of(ex.id) if workspace else None
            status = entry.status if entry else ""
            best = f"{entry.best_score:g}/{entry.max_score:g}" if entry and entry.attempts else ""
            table.add_row(ex.id, ex.function, ex.title, status, best)
    Console().print(table)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from nntutor.core.workspace import Workspace, WorkspaceError

    root = Path(args.dir or resolve_workspace(args.workspace)).expanduser().resolve()
    try:
        Workspace.create(root)
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot create a workspace in {root}: {exc.strerror}") from None
    print(f"Workspace ready in {root}: one file per exercise. Start with: cd {root} && nntutor")
    return 0


def _open_workspace(args: argparse.Namespace):  # -> Workspace
    from nntutor.core.workspace import Workspace, WorkspaceError

    try:
        workspace = Workspace.open(resolve_workspace(args.workspace))
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None
    if workspace.warning:
        print(workspace.warning, file=sys.stderr)
    return workspace


def cmd_check(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nntutor.core.grader import GradeOptions, grade_paths
    from nntutor.core.results import SubmissionResult
    from nntutor.render import print_submission

    workspace = _open_workspace(args)
    chosen = [_exercise(args.exercise)] if args.exercise else list(default_catalogue().exercises)
    total = SubmissionResult(submission=str(workspace.root))
    for ex in chosen:
        result = grade_paths([str(workspace.file_for(ex))], GradeOptions(exercises=[ex.id]))
        total.exercises += result.exercises
        for graded in result.exercises:
            workspace.progress.record(graded)
    workspace.save()
    print_submission(total, Console())
    return 0 if all(e.status == "passed" for e in total.exercises) else 1


def cmd_hint(args: argparse.Namespace) -> int:
    workspace = _open_workspace(args)
    exercise = _exercise(args.exercise)
    number, text = workspace.next_hint(exercise)
    print(f"Hint {number}/{len(exercise.hints)} for {exercise.id}: {text}")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    workspace = _open_workspace(args)
    exercise = _exercise(args.exercise)
    target = workspace.file_for(exercise)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("reset asks for confirmation: run it in a terminal or add --yes")
        answer = input(f"Replace {target} with the starter? Your code will be lost. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Left unchanged.")
            return 1
    workspace.reset(exercise)
    print(f"{target} is the starter again.")
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from nntutor.tui import launch

    return launch(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nntutor", description=__doc__)
    parser.add_argument("--version", action="version", version=f"nntutor {__version__}")
    parser.add_argument("--workspace", metavar="DIR", help="the workspace folder to use")
    parser.add_argument(
        "--manual", action="store_true", help="TUI: grade only when you press r (no file watching)"
    )
    sub = parser.add_subparsers(dest="command")
    grade = sub.add_parser(
        "grade", help="grade submissions: .py files, notebooks, folders, zips (one or many)"
    )
    grade.add_argument("paths", nargs="*", metavar="PATH")
    grade.add_argument("--format", default="table", help=f"one of: {', '.join(FORMATS)}")
    grade.add_argument(
        "--exercise", action="append", metavar="ID", help="grade only this exercise (repeatable)"
    )
    grade.add_argument(
        "--out", metavar="DIR", help="write per-submission results, gradebook and summary here"
    )
    grade.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: cores)")
    grade.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how long one submission's code may run in all, over every exercise (default 300)",
    )
    grade.add_argument(
        "--visibility",
        metavar="FILE",
        help="a TOML file naming the checks students see only after the due date, or never",
    )
    grade.add_argument(
        "--isolation",
        metavar="MODE",
        help="strict (bubblewrap sandbox; the default for a batch when available) or process",
    )
    grade.add_argument(
        "--one-submission",
        action="store_true",
        help="PATH is one student's submission: all .py files and notebooks of a folder "
        "are graded together (as on Gradescope)",
    )
    grade.set_defaults(run=cmd_grade)
    autograder = sub.add_parser(
        "gradescope-autograder", help="build a Gradescope autograder zip (setup.sh, run_autograder)"
    )
    autograder.add_argument("zip", metavar="OUT.zip")
    autograder.add_argument(
        "--exercise", action="append", metavar="ID", help="grade only this exercise (repeatable)"
    )
    autograder.set_defaults(run=cmd_gradescope_autograder)
    sub.add_parser("list", help="the exercises and your status").set_defaults(run=cmd_list)
    init = sub.add_parser("init", help="create a workspace of starter files")
    init.add_argument("dir", nargs="?")
    init.set_defaults(run=cmd_init)
    check = sub.add_parser("check", help="grade the workspace (exit 1 if anything fails)")
    check.add_argument("exercise", nargs="?")
    check.set_defaults(run=cmd_check)
    hint = sub.add_parser("hint", help="reveal the next hint of an exercise")
    hint.add_argument("exercise")
    hint.set_defaults(run=cmd_hint)
    reset = sub.add_parser("reset", help="restore an exercise's starter file")
    reset.add_argument("exercise")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(run=cmd_reset)
    parser.set_defaults(run=cmd_tui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"nntutor: {exc}", file=sys.stderr)
        return 2
    except ManifestError as exc:
        print(f"nntutor: the exercise content is broken: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
