"""Messages that grading and watching threads post to the app; handlers own the UI."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from nntutor.core.results import ExerciseResult


class EpochReported(Message):
    """One training step of the learner's model: the live curve grows by one point."""

    def __init__(self, exercise_id: str, run: int, epoch: int, epochs: int, loss: float) -> None:
        super().__init__()
        self.exercise_id, self.run = exercise_id, run
        self.epoch, self.epochs, self.loss = epoch, epochs, loss


class GradingFinished(Message):
    """A grading ended: ``result`` is None when nothing could be graded (``error`` says why)."""

    def __init__(
        self,
        exercise_id: str,
        run: int,
        result: ExerciseResult | None,
        output: str = "",
        error: str = "",
    ) -> None:
        super().__init__()
        self.exercise_id, self.run = exercise_id, run
        self.result, self.output, self.error = result, output, error


class FilesChanged(Message):
    """The watcher saw these files change (already debounced)."""

    def __init__(self, paths: set[Path]) -> None:
        super().__init__()
        self.paths = paths


class EditorSaved(Message):
    """The in-app editor wrote the file: grade it now, watcher or not."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
