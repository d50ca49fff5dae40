"""The neural network by hand in NumPy, and fit's gradient-step count (no TensorFlow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.results import ExerciseResult
from nntutor.reference import network as ref
from nntutor.reference.logistic import sigmoid

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct_vectorised.py"
BY_HAND = ("my_dense", "my_dense_v", "my_sequential", "gradient_steps")


def grade(path: Path, exercises=BY_HAND) -> dict[str, ExerciseResult]:
    result = grade_paths([str(path)], GradeOptions(exercises=exercises))
    return {e.id: e for e in result.exercises}


def with_code(tmp_path: Path, code: str) -> Path:
    """The correct solution followed by ``code``: later definitions win."""
    path = tmp_path / "submission.py"
    path.write_text(CORRECT.read_text() + "\n\n" + code, encoding="utf-8")
    return path


def mistakes_of(result: ExerciseResult) -> set[str]:
    return {c.mistake for c in result.checks if c.mistake}


@pytest.mark.parametrize(
    ("name", "exercises"),
    [("correct_vectorised.py", BY_HAND), ("correct_loops.py", BY_HAND[:3])],
)
def test_correct_solutions_pass(name: str, exercises: tuple[str, ...]) -> None:
    results = grade(SUBMISSIONS / name, exercises)
    assert {e: r.status for e, r in results.items()} == dict.fromkeys(exercises, "passed")
    assert all(r.score == r.max_score > 0 for r in results.values())


MISTAKE_FILES = [
    "my_dense_missing_g",
    "my_dense_transposed",
    "my_dense_v_loops_wrong_axis",
    "steps_floor",
    "steps_round",
]


@pytest.mark.parametrize("mistake", MISTAKE_FILES)
def test_each_mistake_fails_only_its_exercise_and_is_named(tmp_path: Path, mistake: str) -> None:
    source = (SUBMISSIONS / "mistakes" / f"{mistake}.py").read_text()
    exercise = source.splitlines()[0].removeprefix("# exercise:").strip()
    results = grade(with_code(tmp_path, source))
    assert results[exercise].status == "failed"
    assert mistake in mistakes_of(results[exercise])
    assert all(r.status == "passed" for e, r in results.items() if e != exercise)


@pytest.mark.parametrize(
    ("code", "mistake"),
    [
        ("def my_dense(a_in, W, b, g):\n    return g(a_in @ W) + b", "my_dense_g_before_bias"),
        ("def my_dense(a_in, W, b, g):\n    return g(a_in) @ W + b", "my_dense_g_on_input"),
        (
            "def my_dense(a_in, W, b, g):\n    return 1 / (1 + np.exp(-(a_in @ W + b)))",
            "my_dense_ignores_g",
        ),
    ],
)
def test_a_misplaced_g_is_named(tmp_path: Path, code: str, mistake: str) -> None:
    result = grade(with_code(tmp_path, code), ["my_dense"])["my_dense"]
    assert result.status == "failed"
    assert mistake in mistakes_of(result)


def test_a_transposed_w_gets_a_shape_hint_on_a_non_square_layer(tmp_path: Path) -> None:
    code = (SUBMISSIONS / "mistakes" / "my_dense_transposed.py").read_text()
    result = grade(with_code(tmp_path, code), ["my_dense"])["my_dense"]
    errored = [c for c in result.checks if c.status == "error" and c.name.startswith("3 inputs")]
    assert errored and "(n_in, units)" in errored[0].hint
    assert "W is (3, 4)" in errored[0].hint


def test_my_sequential_uses_nntutors_my_dense_so_a_dense_bug_costs_once(tmp_path: Path) -> None:
    code = (SUBMISSIONS / "mistakes" / "my_dense_missing_g.py").read_text()
    results = grade(with_code(tmp_path, code), ["my_dense", "my_sequential"])
    assert results["my_dense"].status == "failed"
    assert results["my_sequential"].status == "passed"
    assert any("my_dense" in note for note in results["my_sequential"].notes)


def test_a_linear_output_layer_is_named(tmp_path: Path) -> None:
    code = (
        "def my_sequential(x, W1, b1, W2, b2, W3, b3):\n"
        "    a2 = my_dense(my_dense(x, W1, b1, sigmoid), W2, b2, sigmoid)\n"
        "    return a2 @ W3 + b3\n"
    )
    result = grade(with_code(tmp_path, code), ["my_sequential"])["my_sequential"]
    assert "my_sequential_linear_output" in mistakes_of(result)


@pytest.mark.parametrize(
    ("body", "mistake"),
    [
        ("return epochs * (m // batch_size + 1)", "steps_always_plus_one"),
        ("return -(-m // batch_size)", "steps_one_epoch"),
        ("return m * epochs", "steps_per_example"),
    ],
)
def test_step_count_mistakes_are_named(tmp_path: Path, body: str, mistake: str) -> None:
    code = f"def gradient_steps(m, batch_size, epochs):\n    {body}\n"
    result = grade(with_code(tmp_path, code), ["gradient_steps"])["gradient_steps"]
    assert mistake in mistakes_of(result)
    floor = [c for c in result.checks if c.status == "failed"]
    assert all("batch" in c.hint for c in floor)


def test_floor_message_explains_the_partial_batch(tmp_path: Path) -> None:
    code = (SUBMISSIONS / "mistakes" / "steps_floor.py").read_text()
    result = grade(with_code(tmp_path, code), ["gradient_steps"])["gradient_steps"]
    partial = next(c for c in result.checks if c.name.startswith("1000 examples"))
    assert "one smaller batch" in partial.hint
    assert "expected 320" in partial.message


def test_round_is_told_apart_from_floor(tmp_path: Path) -> None:
    code = (SUBMISSIONS / "mistakes" / "steps_round.py").read_text()
    result = grade(with_code(tmp_path, code), ["gradient_steps"])["gradient_steps"]
    # round(15.625) happens to be right; round(31.25) is the floor, and is wrong.
    assert next(c for c in result.checks if "batches of 64 for 5" in c.name).passed
    partial = next(c for c in result.checks if c.name.startswith("1000 examples in batches of 32"))
    assert partial.mistake == "steps_round"
    assert "round(m / batch_size)" in partial.message and "math.ceil" in partial.hint
    assert mistakes_of(result) == {"steps_round"}
    # A true floor is wrong on the case round() gets right: it stays named as the floor.
    floor = (SUBMISSIONS / "mistakes" / "steps_floor.py").read_text()
    result = grade(with_code(tmp_path, floor), ["gradient_steps"])["gradient_steps"]
    assert mistakes_of(result) == {"steps_floor"}


def test_reference_forward_pass_matches_layer_by_layer_loops() -> None:
    rng = np.random.default_rng(0)
    weights = ref.glorot_weights(3, (2, 25, 15, 1))
    x = rng.normal(size=2)
    a = x
    for W, b in zip(weights[::2], weights[1::2], strict=True):
        a = np.array([sigmoid(a @ W[:, j] + b[j]) for j in range(W.shape[1])])
    np.testing.assert_allclose(ref.my_sequential(x, *weights), a, rtol=1e-12)
    assert ref.gradient_steps(1000, 32, 10) == 320
