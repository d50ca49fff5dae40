"""The catalogue: exercises by track with their status and score, and overall progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from nntutor.core.catalogue import Catalogue, Exercise
from nntutor.core.workspace import ExerciseProgress, Progress

MARKS = {"not started": ("○", "dim"), "failing": ("✗", "red"), "passed": ("✓", "green")}


def exercise_prompt(exercise: Exercise, entry: ExerciseProgress, number: int) -> Text:
    """One row: status mark (passed once, failing, not started), number, id, and the latest
    score (``7/10``) once attempted, or ``reset`` when the starter is back since."""
    mark, style = MARKS[entry.status]
    text = Text.assemble((f"{mark} ", style), (f"{number:>2} ", "dim"), exercise.id)
    if entry.last_status == "reset":
        text.append("  reset", style="dim")
    elif entry.last_status is not None:
        last_style = "green" if entry.last_status == "passed" else "red"
        text.append(f"  {entry.last_score:g}/{entry.max_score:g}", style=last_style)
    elif entry.attempts:  # a progress file from before the latest result was recorded
        text.append(f"  {entry.best_score:g}/{entry.max_score:g}", style=style)
    return text


def track_prompt(title: str, passed: int, total: int) -> Text:
    return Text.assemble((title, "bold"), (f"  {passed}/{total}", "dim"))


class CataloguePanel(Vertical):
    """The list of tracks and exercises; choosing one posts ``OptionList.OptionSelected``."""

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        yield Label("", id="overall")
        yield ProgressBar(
            total=len(self.catalogue.exercises), show_eta=False, show_percentage=False
        )
        options: list[Option | None] = []
        for track in self.catalogue.tracks:
            if options:
                options.append(None)
            options.append(Option(track.title, id=f"track:{track.id}", disabled=True))
            options += [Option(ex.id, id=ex.id) for ex in track.exercises]
        yield OptionList(*options, id="exercises")

    def show_progress(self, progress: Progress, current: Exercise) -> None:
        """Refresh every mark and score, the totals, and highlight ``current``."""
        options = self.query_one(OptionList)
        passed_total = 0
        numbers = {ex.id: i for i, ex in enumerate(self.catalogue.exercises, start=1)}
        for track in self.catalogue.tracks:
            passed = sum(progress.of(ex.id).status == "passed" for ex in track.exercises)
            passed_total += passed
            options.replace_option_prompt(
                f"track:{track.id}", track_prompt(track.title, passed, len(track.exercises))
            )
            for ex in track.exercises:
                options.replace_option_prompt(
                    ex.id, exercise_prompt(ex, progress.of(ex.id), numbers[ex.id])
                )
        total = len(self.catalogue.exercises)
        self.query_one("#overall", Label).update(f"Progress: {passed_total}/{total} passed")
        self.query_one(ProgressBar).update(progress=passed_total)
        options.highlighted = options.get_option_index(current.id)
