"""The last grading: one row per check, and the selected check's details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from nntutor.core.results import CheckResult, ExerciseResult
from nntutor.core.sanitise import sanitise

# Status -> the theme variable of its colour; the -text variants are made to be read on the
# theme's background, where plain red or green on a light theme are not.
STATUS_COLOUR = {
    "passed": "text-success",
    "failed": "text-error",
    "error": "text-accent",
    "missing": "text-error",
    "label": "text-warning",
}
CHECK_MARK = {"passed": "✓", "failed": "✗", "error": "!"}
# Details shown as labelled rows, in this order; the rest are in the message already.
# Short labels leave the values room: at 80 columns they have about 32.
DETAIL_ROWS = (
    ("inputs", "Inputs"),
    ("expected", "Expected"),
    ("got", "Got"),
    ("max_abs_error", "Max error"),
    ("tolerance", "Tolerance"),
    ("output", "Printed"),
)


def theme_styles(variables: Mapping[str, str]) -> dict[str, str]:
    """Rich styles by status (and ``label`` for Mistake and Hint) from the theme's variables."""
    return {status: variables[name] for status, name in STATUS_COLOUR.items()}


def points(score: float, max_score: float) -> str:
    return f"{score:g}/{max_score:g}"


def _message_lines(check: CheckResult) -> str:
    """The message without the lines the labelled rows repeat."""
    lines = sanitise(check.message).splitlines()
    skip = ["Inputs: "] if "inputs" in check.details else []
    if check.details.get("mistake"):
        skip.append("This looks like a known mistake")
    return "\n".join(line for line in lines if not any(line.startswith(s) for s in skip))


def _show(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else sanitise(str(value), limit=600)


def check_details(check: CheckResult, styles: Mapping[str, str]) -> Group:
    """Everything the learner needs about one check: what went in, what came out, why.
    ``styles``: from ``theme_styles``."""
    title = Text.assemble(
        (f"{CHECK_MARK[check.status]} ", styles[check.status]),
        (check.name, "bold"),
        (f"  {points(check.score, check.max_score)}", "dim"),
    )
    parts: list[Any] = [title]
    message = _message_lines(check)
    if message:
        parts.append(Text(message))
    rows = Table.grid(padding=(0, 1))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column()
    for key, label in DETAIL_ROWS:
        if key in check.details:
            rows.add_row(label, Text(_show(check.details[key])))
    if check.details.get("mistake") or check.mistake:
        rows.add_row(
            Text("Mistake", style=f"bold {styles['label']}"),
            Text(sanitise(str(check.details.get("mistake") or check.mistake))),
        )
    if check.hint:
        rows.add_row(Text("Hint", style=f"bold {styles['label']}"), Text(sanitise(check.hint)))
    if rows.row_count:
        parts.append(rows)
    if check.passed and not check.message:
        parts.append(Text("This check passed.", style=styles["passed"]))
    return Group(*parts)


def row_names(checks: list[CheckResult]) -> list[str]:
    """Names for the table. A case judged on several quantities gives checks named
    ``case: quantity``; those show as ``quantity · case`` so a narrow table tells them apart."""
    cases = [c.name.rpartition(": ")[0] for c in checks]
    names = []
    for check, case in zip(checks, cases, strict=True):
        if case and cases.count(case) > 1:
            names.append(f"{check.name.rpartition(': ')[2]} · {case}")
        else:
            names.append(check.name)
    return names


def summary(
    result: ExerciseResult, styles: Mapping[str, str], output: str = "", advice: str = ""
) -> Text:
    """The verdict line, the exercise-level message, grading notes and what the code printed.
    ``styles``: from ``theme_styles``."""
    style = styles[result.status]
    text = Text.assemble(
        (f"{result.status.upper()} ", f"bold {style}"),
        f"{result.function}  {points(result.score, result.max_score)}",
    )
    if result.message and result.status != "missing":
        text.append("\n" + sanitise(result.message), style=styles["error"])
    elif result.status == "missing":
        text.append("\n" + sanitise(result.message))
    if advice:
        text.append("\nCurve (c): ", style="bold").append(advice)
    for note in result.notes:
        text.append(f"\nnote: {sanitise(note)}", style="dim")
    if output:
        text.append("\nYour code printed:\n", style="bold").append(sanitise(output, limit=1500))
    return text


class ResultsPanel(Vertical):
    """A table of checks; highlighting a row shows that check's details below it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.checks: list[CheckResult] = []
        self.shown: tuple[ExerciseResult, str, str] | None = None

    def on_mount(self) -> None:
        # The colours are the theme's, taken when drawn: a new theme draws them again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    @property
    def styles_by_status(self) -> dict[str, str]:
        return theme_styles(self.app.theme_variables)

    def _redraw(self) -> None:
        if self.shown is not None:
            row = self.query_one("#checks", DataTable).cursor_row
            self.show(*self.shown)
            self.query_one("#checks", DataTable).move_cursor(row=row)

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        # No header: mark, points and name speak for themselves, and lines are scarce.
        table: DataTable = DataTable(
            id="checks", cursor_type="row", zebra_stripes=True, show_header=False
        )
        table.add_columns("", "", "")
        yield table
        with VerticalScroll(id="details-scroll"):
            yield Static(id="details")

    def clear(self, text: str) -> None:
        self.checks, self.shown = [], None
        self.query_one("#checks", DataTable).clear()
        self.query_one("#verdict", Static).update(text)
        self.query_one("#details", Static).update("")

    def show(self, result: ExerciseResult, output: str = "", advice: str = "") -> None:
        """Fill the table; the cursor lands on the first check that did not pass."""
        self.shown = (result, output, advice)
        self.checks = [c for c in result.checks if c.visibility == "visible"]
        styles = self.styles_by_status
        table = self.query_one("#checks", DataTable)
        table.clear()
        for check, name in zip(self.checks, row_names(self.checks), strict=True):
            style = styles[check.status]
            table.add_row(
                Text(CHECK_MARK[check.status], style=style),
                Text(points(check.score, check.max_score), style=style, justify="right"),
                Text(sanitise(name, limit=200)),
            )
        self.query_one("#verdict", Static).update(summary(result, styles, output, advice))
        first_bad = next((i for i, c in enumerate(self.checks) if not c.passed), 0)
        if self.checks:
            table.move_cursor(row=first_bad)
            self._show_details(first_bad)

    def _show_details(self, row: int) -> None:
        if 0 <= row < len(self.checks):
            self.query_one("#details", Static).update(
                check_details(self.checks[row], self.styles_by_status)
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details(event.cursor_row)
