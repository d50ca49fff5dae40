"""``nntutor grade PATH...``: one learner's file, or a whole class, in the chosen format.

One submission with the table or JSON format is the learner-facing command: it shows the
visible checks only. Several submissions, ``--out``, or an instructor format (CSV,
Gradescope, JUnit) is a batch: every check, with its visibility.
"""

from __future__ import annotations

import contextlib
import glob
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nntutor.batch import FORMATS
from nntutor.batch.runner import BatchOptions, Row, run_batch
from nntutor.batch.visibility import Rules, apply_rules, load_rules
from nntutor.core.results import submission_from_dict, submission_to_dict

ISOLATIONS = ("strict", "process")
_INTERNAL = ("digest", "grading", "seconds")
# What writes a batch's results. Loaded before any learner code runs: learner code that
# rewrites these files on disk (run as root, it can) cannot change what is loaded already.
_RESULT_WRITERS = (
    "nntutor.batch.formats",
    "nntutor.core.specs",
    "nntutor.core.workspace",
    "rich.console",
    "rich.markup",
    "rich.table",
)


class BadInput(Exception):
    """Bad input from the instructor: shown as one line, exit 2."""


def expand_arguments(raw: Sequence[str]) -> list[str]:
    """Paths as given; a pattern the shell left unexpanded is expanded here."""
    if not raw:
        raise BadInput(
            "no submissions given: nntutor grade PATH... (files, notebooks, folders, zips)"
        )
    paths: list[str] = []
    for arg in raw:
        if not os.path.lexists(arg) and glob.has_magic(arg):
            matches = sorted(glob.glob(arg))
            if not matches:
                raise BadInput(f"no file or folder matches {arg!r}")
            paths += matches
        else:
            paths.append(arg)
    return paths


def prepare_out(out: str | None) -> Path | None:
    """Create ``--out`` and prove it is writable, before any grading starts."""
    if out is None:
        return None
    folder = Path(out).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".nntutor-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadInput(f"cannot write results to --out {out}: {exc.strerror or exc}") from None
    return folder


def choose_isolation(asked: str | None, batch: bool) -> str:
    """Strict when asked (or by default for a batch, when it works); never a silent downgrade."""
    from nntutor.core import sandbox

    if asked is not None and asked not in ISOLATIONS:
        raise BadInput(f"unknown isolation {asked!r}: choose {' or '.join(ISOLATIONS)}")
    if asked == "strict":
        try:
            sandbox.self_test()
        except sandbox.SandboxUnavailable as exc:
            raise BadInput(str(exc)) from None
        return "strict"
    if asked is None and batch:
        if sandbox.available():
            return "strict"
        print(
            "nntutor: strict isolation is not available here, grading with --isolation "
            f"process ({sandbox.INSTALL_HINT})",
            file=sys.stderr,
        )
    from nntutor.core.runner import unprivileged_user

    if batch and os.geteuid() == 0 and unprivileged_user() is None:
        print(
            "nntutor: WARNING: learner code runs as root: user nobody cannot start "
            f"{sys.executable} (install Python where every user can run it)",
            file=sys.stderr,
        )
    return "process"


def public(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in _INTERNAL}


def write_outputs(out: Path, rows: list[Row], titles: dict[str, str]) -> None:
    """The gradebook, JUnit XML, Gradescope files and the class summary in ``out``."""
    from nntutor.batch import formats  # gradebook formats: only a batch needs them
    from nntutor.batch.runner import ResultStore
    from nntutor.core.workspace import write_atomically

    write_atomically(out / "gradebook.csv", formats.gradebook_csv(rows))
    write_atomically(out / "junit.xml", formats.junit_xml(rows))
    data = formats.summary(rows, titles)
    write_atomically(out / "summary.json", json.dumps(data, indent=2))
    write_atomically(out / "summary.md", formats.summary_markdown(data))
    store = ResultStore(out)
    for row in rows:
        name = store.path_for(row["submission"]).name
        write_atomically(
            out / "gradescope" / name,
            json.dumps(formats.gradescope(row, row.get("seconds")), indent=2),
        )


def mistake_titles() -> dict[str, str]:
    from nntutor.core.specs import all_specs

    return {m.id: m.title for spec in all_specs().values() for m in spec.mistakes}


class _Progress:
    """A Rich progress bar on stderr (only on a terminal): done, rate, time left."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
        )
        self.task = self.progress.add_task("grading", total=total, rate="")
        self.started = time.monotonic()
        self.graded = 0

    def __enter__(self) -> _Progress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, row: Row, reused: bool) -> None:
        self.graded += not reused
        elapsed = time.monotonic() - self.started
        rate = f"{self.graded / elapsed:.1f}/s" if self.graded and elapsed > 0 else ""
        self.progress.update(self.task, advance=1, rate=rate)


def run_grade(args: Any, epoch_progress: Callable[[], Any] | None = None) -> int:
    """The ``grade`` command; raises BadInput for bad instructor input.

    ``epoch_progress`` makes the live bar of training epochs shown while one learner's
    file is graded (None when stderr is no terminal).
    """
    if args.format not in FORMATS:
        raise BadInput(f"unknown format {args.format!r}: choose one of {', '.join(FORMATS)}")
    if args.jobs is not None and args.jobs < 1:
        raise BadInput("--jobs must be at least 1")
    if not args.time_limit > 0:
        raise BadInput("--time-limit must be a number of seconds above 0")
    from nntutor.core.submissions import expand

    rules = _visibility_rules(args.visibility)
    whole = args.one_submission
    paths = expand_arguments(args.paths)
    if whole and len(paths) != 1:
        raise BadInput("--one-submission grades exactly one PATH (a file, folder or zip)")
    paths = paths if whole else expand(paths)
    if not paths:
        raise BadInput("the folder(s) given hold no submission")
    batch = len(paths) > 1 or args.out is not None or args.format in ("csv", "gradescope", "junit")
    out = prepare_out(args.out)
    options = BatchOptions(
        exercises=args.exercises,
        jobs=args.jobs or os.cpu_count() or 1,
        isolation=choose_isolation(args.isolation, batch),  # type: ignore[arg-type]
        out=out,
        whole=whole,
        time_limit=args.time_limit,
    )
    if batch:
        for module in _RESULT_WRITERS:
            importlib.import_module(module)
        try:
            with _Progress(len(paths)) as progress:
                rows = run_batch(paths, options, progress.advance)
        except KeyboardInterrupt:
            if out is not None:
                print(
                    f"nntutor: interrupted; the results finished so far are kept in {out}: "
                    "run the same command again to resume",
                    file=sys.stderr,
                )
            raise
    else:  # one learner's file: live epochs at most, and no Rich import for piped JSON
        progress = epoch_progress() if epoch_progress else None
        with progress or contextlib.nullcontext(), _early_child(options) as warm:
            options.on_event = progress.on_event if progress else None
            options.warm = warm
            rows = run_batch(paths, options)
    if args.visibility is not None:
        rows = [apply_rules(row, rules) for row in rows]
    if out is not None:
        write_outputs(out, rows, mistake_titles())
    if not batch:
        return _print_learner(rows[0], args.format)
    _print_batch(rows, args.format)
    return 0


def _visibility_rules(path: str | None) -> Rules:
    if path is None:
        return {}
    try:
        return load_rules(Path(path))
    except ValueError as exc:
        raise BadInput(str(exc)) from None


@contextlib.contextmanager
def _early_child(options: BatchOptions):  # -> Iterator[WarmPool | None]
    """Start the NumPy child now, so that it boots while this process sets up the grading."""
    if options.isolation != "process":
        yield None
        return
    from nntutor.core.runner import unprivileged_user
    from nntutor.core.warm import WarmPool

    pool = WarmPool({"numpy": ()}, refill=False, run_as=unprivileged_user())
    pool.fill()
    try:
        yield pool
    finally:
        pool.close()


def _print_learner(row: Row, fmt: str) -> int:
    if row.get("error"):
        raise BadInput(f"{row['submission']}: {row['error']}")
    visible = submission_to_dict(submission_from_dict(row), visible_only=True)
    if fmt == "json":
        print(json.dumps(visible, indent=2))
    else:
        from rich.console import Console

        from nntutor.render import print_submission

        print_submission(submission_from_dict(visible), Console())
    return 0


def _print_batch(rows: list[Row], fmt: str) -> None:
    from nntutor.batch import formats  # gradebook formats: only a batch needs them

    if fmt == "json":
        for row in rows:
            print(json.dumps(public(row)))
    elif fmt == "csv":
        sys.stdout.write(formats.gradebook_csv(rows))
    elif fmt == "gradescope":
        if len(rows) == 1:
            print(json.dumps(formats.gradescope(rows[0], rows[0].get("seconds")), indent=2))
        else:
            for row in rows:
                print(json.dumps(formats.gradescope(row, row.get("seconds"))))
    elif fmt == "junit":
        sys.stdout.write(formats.junit_xml(rows))
    else:
        _print_table(rows)


def _print_table(rows: list[Row]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from nntutor.batch import formats  # gradebook formats: only a batch needs them

    columns = formats.exercise_columns(rows)
    table = Table(title="nntutor gradebook", title_justify="left")
    for column in ("submission", "score", *columns):
        table.add_column(column, justify="left" if column == "submission" else "right")
    for row in rows:
        scores = {ex["id"]: f"{ex['score']:g}" for ex in row.get("exercises", [])}
        total = (
            "[magenta]error[/]" if row.get("error") else f"{row['score']:g}/{row['max_score']:g}"
        )
        table.add_row(escape(row["submission"]), total, *(scores.get(c, "") for c in columns))
    console = Console()
    console.print(table)
    for row in rows:
        if row.get("error"):
            console.print(
                f"[magenta]{escape(row['submission'])}[/]: {escape(row['error'])}", highlight=False
            )
    console.print(
        escape(formats.summary_markdown(formats.summary(rows, mistake_titles()))), highlight=False
    )
