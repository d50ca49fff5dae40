"""A learner's workspace: one file per exercise, copied from the starters, and progress.

Layout: ``DIR/NN_slug.py`` per exercise, ``DIR/.nntutor/progress.json`` and the latest
grading of each exercise in ``DIR/.nntutor/results/<id>.json``. The shipped
content is never edited in place; ``reset`` copies the starter again.
"""

from __future__ import annotations

import json
import math
import os
import reprlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nntutor.core.catalogue import Catalogue, Exercise, default_catalogue
from nntutor.core.results import ExerciseResult, exercise_from_dict, exercise_to_dict

PROGRESS_FORMAT = "nntutor-progress"
PROGRESS_VERSION = 1
MARKER = ".nntutor"
STATUSES = ("not started", "failing", "passed")
# The latest grading's ExerciseResult status, or "reset": the starter is back since.
LAST_STATUSES = ("passed", "failed", "error", "missing", "reset")


class WorkspaceError(Exception):
    """A workspace problem with a one-line explanation for the learner."""


@dataclass
class ExerciseProgress:
    attempts: int = 0
    best_score: float = 0.0
    max_score: float = 0.0
    last_score: float = 0.0
    status: str = "not started"  # not started | failing | passed
    hints_used: int = 0
    passed_at: str | None = None
    # One of LAST_STATUSES; None until graded (and in files from before it was recorded).
    last_status: str | None = None


@dataclass
class Progress:
    """Per-exercise progress, saved atomically as JSON."""

    exercises: dict[str, ExerciseProgress] = field(default_factory=dict)

    def of(self, exercise_id: str) -> ExerciseProgress:
        return self.exercises.setdefault(exercise_id, ExerciseProgress())

    def record(self, result: ExerciseResult) -> ExerciseProgress:
        entry = self.of(result.id)
        entry.attempts += 1
        entry.last_score, entry.max_score = result.score, result.max_score
        entry.last_status = result.status
        entry.best_score = max(entry.best_score, result.score)
        if result.status == "passed":
            if entry.passed_at is None:
                entry.passed_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            entry.status = "passed"
        elif entry.status != "passed":
            entry.status = "failing"
        return entry

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PROGRESS_FORMAT,
            "version": PROGRESS_VERSION,
            "exercises": {k: asdict(v) for k, v in sorted(self.exercises.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> Progress:
        if not isinstance(data, dict) or data.get("format") != PROGRESS_FORMAT:
            raise ValueError("it is not an nntutor progress file")
        if data.get("version") != PROGRESS_VERSION:
            raise ValueError(
                f"it has version {data.get('version')!r}, this nntutor reads {PROGRESS_VERSION}"
            )
        entries = data.get("exercises")
        if not isinstance(entries, dict):
            raise ValueError("its 'exercises' is not an object")
        progress = cls()
        for key, value in entries.items():
            if not isinstance(value, dict) or not set(value) <= set(FIELD_CHECKS):
                raise ValueError(f"its entry for {key!r} is malformed")
            for name, item in value.items():
                valid, expected = FIELD_CHECKS[name]
                if not valid(item):
                    raise ValueError(
                        f"its entry for {key!r} has {name} {reprlib.repr(item)}, "
                        f"which should be {expected}"
                    )
            progress.exercises[str(key)] = ExerciseProgress(**value)
        return progress


def _is_count(value: Any) -> bool:
    # bool is an int subclass, but true is no count.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_score(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


# Every field of ExerciseProgress: is a value from the file valid, and what it should be.
FIELD_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "attempts": (_is_count, "a whole number >= 0"),
    "best_score": (_is_score, "a number >= 0"),
    "max_score": (_is_score, "a number >= 0"),
    "last_score": (_is_score, "a number >= 0"),
    "status": (lambda value: value in STATUSES, "one of " + ", ".join(STATUSES)),
    "hints_used": (_is_count, "a whole number >= 0"),
    "passed_at": (lambda value: value is None or isinstance(value, str), "a date or null"),
    "last_status": (
        lambda value: value is None or value in LAST_STATUSES,
        "null or one of " + ", ".join(LAST_STATUSES),
    ),
}


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Workspace:
    """A folder of exercise files with its progress."""

    def __init__(self, root: Path, catalogue: Catalogue | None = None) -> None:
        self.root = root
        self.catalogue = catalogue or default_catalogue()
        self.progress = Progress()
        # Set when the progress file was unreadable and a fresh one was started.
        self.warning: str | None = None

    @property
    def progress_path(self) -> Path:
        return self.root / MARKER / "progress.json"

    @staticmethod
    def is_workspace(path: Path) -> bool:
        return (path / MARKER / "progress.json").is_file()

    @classmethod
    def open(cls, root: Path, catalogue: Catalogue | None = None) -> Workspace:
        if not cls.is_workspace(root):
            raise WorkspaceError(f"{root} is not an nntutor workspace (run: nntutor init {root})")
        workspace = cls(root, catalogue)
        workspace.load_progress()
        return workspace

    @classmethod
    def create(cls, root: Path, catalogue: Catalogue | None = None) -> Workspace:
        """Make ``root`` a workspace: copy missing starters, keep existing files."""
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} exists and is not a folder")
        root.mkdir(parents=True, exist_ok=True)
        workspace = cls(root, catalogue)
        for exercise in workspace.catalogue.exercises:
            target = workspace.file_for(exercise)
            if not target.exists():
                target.write_text(exercise.starter(), encoding="utf-8")
        if cls.is_workspace(root):
            workspace.load_progress()
        else:
            workspace.save()
        return workspace

    def file_for(self, exercise: Exercise) -> Path:
        return self.root / f"{exercise.slug}.py"

    def load_progress(self) -> None:
        """Read progress; a corrupt or foreign file is backed up and a fresh one started."""
        try:
            text = self.progress_path.read_text(encoding="utf-8")
            self.progress = Progress.from_json(json.loads(text))
        except FileNotFoundError:
            self.progress = Progress()
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            # A unique name: two bad files within a second must not overwrite one backup.
            fd, name = tempfile.mkstemp(
                dir=self.progress_path.parent,
                prefix=f"progress.{time.strftime('%Y%m%d-%H%M%S')}.",
                suffix=".bak",
            )
            os.close(fd)
            backup = Path(name)
            os.replace(self.progress_path, backup)
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            self.warning = (
                f"Your progress file could not be read ({reason}); it was kept "
                f"as {backup.name} and progress starts afresh."
            )
            self.progress = Progress()
            self.save()

    def save(self) -> None:
        write_atomically(self.progress_path, json.dumps(self.progress.to_json(), indent=2))

    def result_path(self, exercise: Exercise) -> Path:
        return self.root / MARKER / "results" / f"{exercise.id}.json"

    def keep_result(
        self, exercise: Exercise, result: ExerciseResult, output: str, digest: str | None
    ) -> None:
        """Keep the latest grading and the digest of the file it graded, to show it again
        after a restart."""
        data = {"digest": digest, "output": output, "result": exercise_to_dict(result)}
        write_atomically(self.result_path(exercise), json.dumps(data))

    def last_result(self, exercise: Exercise) -> tuple[ExerciseResult, str, str | None] | None:
        """The kept grading, what the code printed and the file's digest then; None when
        there is none that this nntutor can read (it is only a convenience)."""
        try:
            data = json.loads(self.result_path(exercise).read_text(encoding="utf-8"))
            result = exercise_from_dict(data["result"])
            digest = data.get("digest")
            return result, str(data.get("output", "")), digest if isinstance(digest, str) else None
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def reset(self, exercise: Exercise) -> Path:
        """Overwrite the learner's file with the starter again; progress keeps the best
        score and records that the file is not graded since."""
        target = self.file_for(exercise)
        target.write_text(exercise.starter(), encoding="utf-8")
        self.result_path(exercise).unlink(missing_ok=True)
        entry = self.progress.of(exercise.id)
        if entry.attempts:
            entry.last_status, entry.last_score = "reset", 0.0
            self.save()
        return target

    def next_hint(self, exercise: Exercise) -> tuple[int, str]:
        """Reveal one more hint (the last one repeats); returns its number and text."""
        entry = self.progress.of(exercise.id)
        entry.hints_used = min(entry.hints_used + 1, len(exercise.hints))
        self.save()
        return entry.hints_used, exercise.hints[entry.hints_used - 1]
