"""Rich rendering of results for the command line (not part of the headless core)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nntutor.core.results import ExerciseResult, SubmissionResult

STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "missing": "dim"}
CHECK_MARK = {"passed": "✓", "failed": "✗", "error": "!"}


def _points(score: float, max_score: float) -> str:
    return f"{score:g}/{max_score:g}"


# A failing check shows the start of what the function printed; the JSON keeps it all.
PRINTED_LINES = 5


def printed(output: str) -> str:
    """The first lines of a function's output, and how many more there were."""
    lines = output.strip().splitlines()
    shown = "\n".join(f"  {line}" for line in lines[:PRINTED_LINES])
    more = len(lines) - PRINTED_LINES
    return shown + (f"\n  ({more} more lines)" if more > 0 else "")


def exercise_detail(ex: ExerciseResult) -> Group:
    """The failing checks of one exercise, with messages and hints."""
    parts: list[Text | Panel] = []
    if ex.message and ex.status != "missing":
        parts.append(Text(ex.message, style="magenta"))
    for check in ex.checks:
        if check.passed or check.visibility != "visible":
            continue
        body = Text(check.message)
        if check.details.get("output", "").strip():
            body.append("\nYour function printed:\n", style="bold").append(
                printed(check.details["output"])
            )
        if check.hint:
            body.append("\nHint: ", style="bold yellow").append(check.hint)
        title = (
            f"[{STATUS_STYLE[check.status]}]{CHECK_MARK[check.status]}[/] "
            f"{escape(check.name)}  [dim]{_points(check.score, check.max_score)}[/]"
        )
        parts.append(Panel(body, title=title, title_align="left", border_style="dim"))
    for note in ex.notes:
        parts.append(Text(f"note: {note}", style="dim"))
    return Group(*parts)


def print_submission(result: SubmissionResult, console: Console) -> None:
    """A table of exercises, then the details of every one that did not pass."""
    console.print(Text(f"nntutor — {result.submission}", style="bold"))
    table = Table()
    table.add_column("exercise")
    table.add_column("function")
    table.add_column("status")
    table.add_column("score", justify="right")
    for ex in result.exercises:
        style = STATUS_STYLE.get(ex.status, "")
        table.add_row(
            ex.id, ex.function, f"[{style}]{ex.status}[/]", _points(ex.score, ex.max_score)
        )
    table.add_section()
    table.add_row("total", "", "", _points(result.score, result.max_score), style="bold")
    console.print(table)
    if result.error:
        console.print(Text(result.error, style="bold red"))
    for note in result.notes:
        console.print(Text(f"note: {note}", style="dim"))
    for ex in result.exercises:
        if ex.status in ("failed", "error"):
            console.rule(f"[bold]{ex.id}[/] — {ex.function}()", align="left")
            console.print(exercise_detail(ex))
    if result.output.strip():
        console.print(
            Panel(
                Text(result.output.strip()[:2000]),
                title="your file printed",
                border_style="dim",
                title_align="left",
            )
        )


class EpochProgress:
    """Live progress of the training exercises on stderr: one bar per ``fit``, epoch by epoch.

    ``on_event`` is given to :class:`GradeOptions`; it draws nothing when stderr is not a
    terminal, so logs and piped JSON stay clean.
    """

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.enabled = console.is_terminal
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("epochs  loss {task.fields[loss]}"),
            console=console,
            transient=True,
        )
        self._task: Any = None

    def __enter__(self) -> EpochProgress:
        if self.enabled:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()

    def on_event(self, exercise_id: str, event: dict[str, Any]) -> None:
        if not self.enabled or event.get("kind") != "epoch":
            return
        epoch, epochs, loss = event.get("epoch"), event.get("epochs"), event.get("loss")
        shown = f"{loss:.4f}" if isinstance(loss, float) else "?"
        if epoch == 1 or self._task is None:
            self._task = self.progress.add_task(f"{exercise_id}: fit", total=epochs, loss=shown)
        self.progress.update(self._task, completed=epoch, total=epochs, loss=shown)
