"""Beyond the course: backpropagation by hand, matched against Keras's SGD loss curve."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.results import ExerciseResult
from nntutor.core.specs.backprop import KERAS_TOLERANCE, RUNS

pytestmark = pytest.mark.slow  # the Keras reference curve is trained once, by the worker
CORRECT = Path(__file__).parent / "submissions" / "correct_vectorised.py"
CORRECT_LOOP = CORRECT.read_text().split("def train_two_layer")[1]


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def grade(path: Path) -> ExerciseResult:
    return grade_paths([str(path)], GradeOptions(exercises=["backprop"])).exercises[0]


def test_the_correct_loop_matches_keras_step_by_step() -> None:
    result = grade(CORRECT)
    assert result.status == "passed", [c.message for c in result.checks if not c.passed]
    assert result.curve is not None
    learner, keras = np.asarray(result.curve.learner), np.asarray(result.curve.reference)
    assert len(learner) == len(keras) == RUNS[0][5]
    np.testing.assert_allclose(learner, keras, rtol=KERAS_TOLERANCE.rtol, atol=KERAS_TOLERANCE.atol)
    assert keras[-1] < keras[0] - 0.1, "the network should learn in 60 steps"


@pytest.mark.parametrize(
    ("old", "new", "mistake"),
    [
        (
            "dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)",
            "dZ1 = dZ2 @ W2.T",
            "backprop_missing_sigmoid_derivative",
        ),
        ("dZ2 = (f - y[:, None]) / m", "dZ2 = f - y[:, None]", "backprop_not_divided_by_m"),
        ("- alpha", "+ alpha", "backprop_ascent"),
        # A harmless rewrite must still pass: the detectors are not trigger-happy.
        ("m = X.shape[0]", "m = len(X)", None),
    ],
)
def test_classic_backprop_slips_are_named(
    tmp_path: Path, old: str, new: str, mistake: str | None
) -> None:
    assert old in CORRECT_LOOP
    result = grade(with_loop(tmp_path, CORRECT_LOOP.replace(old, new)))
    if mistake is None:
        assert result.status == "passed", [c.message for c in result.checks if not c.passed]
        return
    assert result.status == "failed"
    assert mistake in {c.mistake for c in result.checks}


def test_a_cost_recorded_after_the_update_is_named(tmp_path: Path) -> None:
    record = CORRECT_LOOP[CORRECT_LOOP.index("J_history.append(") :].split("\n")[0]
    after = "A1 = sigmoid(X @ W1 + b1)\n        f = sigmoid(A1 @ W2 + b2)\n        " + record
    body = CORRECT_LOOP.replace(record, "").replace(
        "W1 - alpha * (X.T @ dZ1), b1 - alpha * dZ1.sum(axis=0)",
        "W1 - alpha * (X.T @ dZ1), b1 - alpha * dZ1.sum(axis=0)\n        " + after,
    )
    result = grade(with_loop(tmp_path, body))
    assert "backprop_cost_after_step" in {c.mistake for c in result.checks}


def with_loop(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "submission.py"
    path.write_text(CORRECT.read_text() + "\n\ndef train_two_layer" + body)
    return path
