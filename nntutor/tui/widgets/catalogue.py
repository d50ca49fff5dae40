"""The catalogue: exercises by track with their status and score, and overall progress."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from nntutor.core.catalogue import Catalogue, Exercise
from nntutor.core.workspace import ExerciseProgress, Progress

# Theme variables, resolved when drawn: the -text variants stay legible in every theme.
MARKS = {
    "not started": ("○", "$text-muted"),
    "failing": ("✗", "$text-error"),
    "passed": ("✓", "$text-success"),
}


def exercise_prompt(
    exercise: Exercise, entry: ExerciseProgress, number: int, highlighted: bool = False
) -> Content:
    """One row: status mark (passed once, failing, not started), number, id, and the latest
    score (``7/10``) once attempted, or ``reset`` when the starter is back since.
    ``highlighted`` rows are uncoloured: red or green on the cursor's colour is unreadable,
    the cursor's own text colour is made to be read on it."""
    mark, style = MARKS[entry.status]
    score, score_style = "", "$text-muted"
    if entry.last_status == "reset":
        score = "reset"
    elif entry.last_status is not None:
        score = f"{entry.last_score:g}/{entry.max_score:g}"
        score_style = MARKS["passed" if entry.last_status == "passed" else "failing"][1]
    elif entry.attempts:  # a progress file from before the latest result was recorded
        score, score_style = f"{entry.best_score:g}/{entry.max_score:g}", style
    if highlighted:
        style = score_style = ""
    return Content.assemble(
        (f"{mark} ", style),
        (f"{number:>2} ", "" if highlighted else "$text-muted"),
        exercise.id,
        (f"  {score}" if score else "", score_style),
    )


def track_prompt(title: str, passed: int, total: int) -> Content:
    return Content.assemble((title, "bold"), (f"  {passed}/{total}", "$text-muted"))


class CataloguePanel(Vertical):
    """The list of tracks and exercises; choosing one posts ``OptionList.OptionSelected``."""

    def __init__(self, catalogue: Catalogue, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.numbers = {ex.id: i for i, ex in enumerate(catalogue.exercises, start=1)}
        self.progress: Progress | None = None
        self.highlighted: str | None = None

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
        self.progress, self.highlighted = progress, current.id
        passed_total = 0
        for track in self.catalogue.tracks:
            passed = sum(progress.of(ex.id).status == "passed" for ex in track.exercises)
            passed_total += passed
            options.replace_option_prompt(
                f"track:{track.id}", track_prompt(track.title, passed, len(track.exercises))
            )
            for ex in track.exercises:
                self._draw(ex.id)
        total = len(self.catalogue.exercises)
        self.query_one("#overall", Label).update(f"Progress: {passed_total}/{total} passed")
        self.query_one(ProgressBar).update(progress=passed_total)
        options.highlighted = options.get_option_index(current.id)

    def _draw(self, exercise_id: str) -> None:
        assert self.progress is not None
        self.query_one(OptionList).replace_option_prompt(
            exercise_id,
            exercise_prompt(
                self.catalogue.get(exercise_id),
                self.progress.of(exercise_id),
                self.numbers[exercise_id],
                highlighted=exercise_id == self.highlighted,
            ),
        )

    @on(OptionList.OptionHighlighted)
    def _follow_cursor(self, event: OptionList.OptionHighlighted) -> None:
        """Colour the row the cursor left, uncolour the one it is on."""
        left, self.highlighted = self.highlighted, event.option.id
        if self.progress is not None and left != self.highlighted:
            for exercise_id in (left, self.highlighted):
                if exercise_id in self.numbers:
                    self._draw(exercise_id)
