"""Shared helpers: the learner-style submissions and a quick way to grade them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.results import ExerciseResult, SubmissionResult
from nntutor.core.runner import Limits

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT_VECTORISED = SUBMISSIONS / "correct_vectorised.py"
CORRECT_LOOPS = SUBMISSIONS / "correct_loops.py"
NUMPY_TRACK = ("sigmoid", "model_output", "loss", "cost", "gradient", "gradient_descent", "predict")
# Short limits keep the hostile tests quick; a correct submission needs far less.
FAST = {"numpy": Limits(call_timeout=3.0, load_timeout=5.0, data_mib=768)}


def grade(
    paths: Sequence[Path | str], exercises: Sequence[str] | None = NUMPY_TRACK, **options: object
) -> SubmissionResult:
    return grade_paths([str(p) for p in paths], GradeOptions(exercises=exercises, **options))


def by_id(result: SubmissionResult) -> dict[str, ExerciseResult]:
    return {e.id: e for e in result.exercises}


@pytest.fixture
def with_code(tmp_path: Path):
    """Write the correct vectorised solution followed by ``code`` (later defs win)."""

    def build(code: str, name: str = "submission.py") -> Path:
        path = tmp_path / name
        path.write_text(CORRECT_VECTORISED.read_text() + "\n\n" + code, encoding="utf-8")
        return path

    return build
