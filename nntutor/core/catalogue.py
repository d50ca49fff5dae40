"""The exercise catalogue: tracks and exercises read from versioned, validated manifests.

Layout: ``exercises/catalogue.toml`` lists the tracks and their exercise folders in order;
each folder holds ``exercise.toml``, ``instructions.md`` and ``starter.py``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nntutor

FORMAT_VERSION = 1


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of the catalogue."""

    id: str
    title: str
    function: str
    signature: str
    summary: str
    track: str
    uses: tuple[str, ...]
    hints: tuple[str, ...]
    folder: Path
    # Beyond the course: in the tutor, but graded in a batch only when asked for by id,
    # so a class's max_score is the course's.
    optional: bool = False

    @property
    def instructions_path(self) -> Path:
        return self.folder / "instructions.md"

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def slug(self) -> str:
        """The folder name, used as the learner's file name in a workspace."""
        return self.folder.name

    def instructions(self) -> str:
        return self.instructions_path.read_text(encoding="utf-8")

    def starter(self) -> str:
        return self.starter_path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    summary: str
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class Catalogue:
    tracks: tuple[Track, ...]

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(ex for track in self.tracks for ex in track.exercises)

    def get(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        known = ", ".join(ex.id for ex in self.exercises)
        raise KeyError(f"unknown exercise {exercise_id!r} (known: {known})")

    def by_function(self) -> dict[str, Exercise]:
        return {ex.function: ex for ex in self.exercises}


def exercises_root() -> Path:
    """Where the content is: inside the installed wheel, else the source checkout."""
    package = Path(nntutor.__file__).resolve().parent
    shipped = package / "_exercises"
    return shipped if shipped.is_dir() else package.parent / "exercises"


def _field(data: dict[str, Any], name: str, kind: type, where: Path) -> Any:
    if name not in data:
        raise ManifestError(f"{where}: missing field {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise ManifestError(
            f"{where}: field {name!r} must be a non-empty {kind.__name__}, got {value!r}"
        )
    return value


def _str_list(data: dict[str, Any], name: str, where: Path) -> tuple[str, ...]:
    values = _field(data, name, list, where)
    for i, item in enumerate(values):
        if not isinstance(item, str) or not item.strip():
            raise ManifestError(f"{where}: field {name}[{i}] must be a non-empty string")
    return tuple(values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ManifestError(
            f"{path}: field 'format_version' must be {FORMAT_VERSION}, got {version!r}"
        )
    return data


def load_exercise(folder: Path, track: str) -> Exercise:
    """Read and validate ``folder/exercise.toml`` and check its files exist."""
    where = folder / "exercise.toml"
    data = _read_toml(where)
    exercise = Exercise(
        id=_field(data, "id", str, where),
        title=_field(data, "title", str, where),
        function=_field(data, "function", str, where),
        signature=_field(data, "signature", str, where),
        summary=_field(data, "summary", str, where),
        track=track,
        uses=_str_list(data, "uses", where),
        hints=_str_list(data, "hints", where),
        folder=folder,
        optional=data.get("optional", False),
    )
    if not isinstance(exercise.optional, bool):
        raise ManifestError(
            f"{where}: field 'optional' must be true or false, got {exercise.optional!r}"
        )
    if not exercise.hints:
        raise ManifestError(f"{where}: field 'hints' needs at least one hint")
    if not exercise.signature.startswith(exercise.function + "("):
        raise ManifestError(f"{where}: field 'signature' must start with {exercise.function}(")
    for path in (exercise.instructions_path, exercise.starter_path):
        if not path.is_file():
            raise ManifestError(f"{where}: the exercise has no {path.name}")
    return exercise


def load_catalogue(root: Path) -> Catalogue:
    """Load and validate the whole catalogue under ``root``."""
    where = root / "catalogue.toml"
    data = _read_toml(where)
    tracks_data = _field(data, "tracks", list, where)
    tracks, seen = [], set()
    for i, t in enumerate(tracks_data):
        if not isinstance(t, dict):
            raise ManifestError(f"{where}: tracks[{i}] must be a table")
        track_id = _field(t, "id", str, where)
        exercises = []
        for folder_name in _str_list(t, "exercises", where):
            ex = load_exercise(root / folder_name, track_id)
            if ex.id in seen:
                raise ManifestError(f"{where}: exercise id {ex.id!r} appears twice")
            unknown = [u for u in ex.uses if u not in seen]
            if unknown:
                raise ManifestError(
                    f"{ex.folder / 'exercise.toml'}: field 'uses' names {unknown}, "
                    "which is not an earlier exercise"
                )
            seen.add(ex.id)
            exercises.append(ex)
        tracks.append(
            Track(
                id=track_id,
                title=_field(t, "title", str, where),
                summary=_field(t, "summary", str, where),
                exercises=tuple(exercises),
            )
        )
    return Catalogue(tracks=tuple(tracks))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue that ships with nntutor (read once per process)."""
    return load_catalogue(exercises_root())
