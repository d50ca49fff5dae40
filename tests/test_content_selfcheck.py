"""Content self-check: references pass, starters fail, every known mistake is caught."""

from pathlib import Path

import pytest

import nntutor.reference.logistic
from nntutor.core.catalogue import default_catalogue
from nntutor.core.specs import all_specs
from tests.conftest import CORRECT_LOOPS, CORRECT_VECTORISED, NUMPY_TRACK, SUBMISSIONS, by_id, grade

NUMPY_KIND = tuple(
    ex.id
    for ex in default_catalogue().exercises
    if all_specs().get(ex.id) and all_specs()[ex.id].session == "numpy"
)
# Where the detector's id differs from the mistake file's name.
DETECTED_AS = {
    "learning_rate_ignored": "diverging_cost",
    "model_output_column": "column_vector",
    "sigmoid_returns_list": "returns_list",
}


def _mistake_files() -> list[Path]:
    files = []
    for path in sorted((SUBMISSIONS / "mistakes").glob("*.py")):
        exercise = path.read_text().splitlines()[0].removeprefix("# exercise:").strip()
        if exercise in NUMPY_KIND:
            files.append(path)
    return files


def test_the_reference_module_passes_every_check() -> None:
    result = grade([nntutor.reference.logistic.__file__])
    assert {e.id: e.status for e in result.exercises} == dict.fromkeys(NUMPY_TRACK, "passed")
    assert result.score == result.max_score > 0


@pytest.mark.parametrize(
    ("solution", "exercises"),
    [
        (CORRECT_VECTORISED, NUMPY_KIND),
        (CORRECT_LOOPS, (*NUMPY_TRACK, "my_dense", "my_dense_v", "my_sequential")),
    ],
    ids=["vectorised", "loops"],
)
def test_course_style_and_vectorised_solutions_pass(solution: Path, exercises) -> None:
    result = grade([solution], exercises)
    failing = {
        e.id: [c.message for c in e.checks if not c.passed]
        for e in result.exercises
        if e.status != "passed"
    }
    assert failing == {}


def test_the_short_gradient_descent_form_is_recognised() -> None:
    result = by_id(grade([CORRECT_LOOPS], ["gradient_descent"]))["gradient_descent"]
    assert result.status == "passed"
    assert any("short form" in note for note in result.notes)


@pytest.mark.parametrize(
    "exercise",
    [ex for ex in default_catalogue().exercises if ex.id in NUMPY_KIND],
    ids=lambda ex: ex.id,
)
def test_every_starter_fails(exercise, tmp_path: Path) -> None:
    path = tmp_path / f"{exercise.slug}.py"
    path.write_text(exercise.starter())
    result = by_id(grade([path], [exercise.id]))[exercise.id]
    assert result.status in ("failed", "error")
    assert result.score == 0


@pytest.mark.parametrize("mistake", _mistake_files(), ids=lambda p: p.stem)
def test_each_mistake_fails_only_its_exercise_and_is_named(mistake: Path, with_code) -> None:
    header = mistake.read_text().splitlines()
    exercise = header[0].removeprefix("# exercise:").strip()
    mistake_id = header[1].removeprefix("# mistake:").strip()
    result = by_id(grade([with_code(mistake.read_text())], NUMPY_KIND))
    statuses = {key: ex.status for key, ex in result.items()}
    assert statuses == {key: "failed" if key == exercise else "passed" for key in NUMPY_KIND}
    named = {c.mistake for c in result[exercise].checks if not c.passed}
    assert DETECTED_AS.get(mistake_id, mistake_id) in named
    failing = next(c for c in result[exercise].checks if c.mistake)
    assert "looks like a known mistake" in failing.message
    assert failing.hint


def test_a_wrong_sigmoid_fails_sigmoid_and_nothing_else(with_code) -> None:
    result = by_id(grade([with_code("def sigmoid(z):\n    return z\n")]))
    assert [key for key, ex in result.items() if ex.status != "passed"] == ["sigmoid"]
    assert any("nntutor used its own sigmoid" in n for n in result["model_output"].notes)


def test_the_swap_note_names_only_the_stand_ins_called(with_code) -> None:
    sigmoid_only = (
        "def compute_cost(X, y, w, b, *argv):\n"
        "    f = sigmoid(X @ w + b)\n"
        "    return float(np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f)))\n"
    )
    by_hand = "def predict(X, w, b):\n    return (X @ w + b >= 0).astype(float)\n"
    result = by_id(grade([with_code(sigmoid_only + by_hand)], ["cost", "predict"]))

    swaps = [n for n in result["cost"].notes if "nntutor used its own" in n]
    assert swaps == [
        "While grading compute_cost, nntutor used its own sigmoid, so a mistake there counts "
        "only in its own exercise."
    ]
    assert not [n for n in result["predict"].notes if "nntutor used its own" in n]


def test_gradient_descent_carries_both_curves() -> None:
    result = by_id(grade([CORRECT_VECTORISED], ["gradient_descent"]))["gradient_descent"]
    assert result.curve is not None
    assert len(result.curve.learner) == len(result.curve.reference) == 100
    assert result.curve.learner == pytest.approx(result.curve.reference, rel=1e-6)
    assert result.curve.reference[-1] < result.curve.reference[0]


@pytest.mark.parametrize("value", ["np.float64(np.inf)", "np.float64(np.nan)", "float('-inf')"])
def test_a_cost_that_is_not_finite_fails_at_the_finite_stage(with_code, value: str) -> None:
    code = f"def compute_cost(X, y, w, b, *argv):\n    return {value}\n"
    cost = by_id(grade([with_code(code)], ["cost"]))["cost"]
    cases = cost.checks[:-1]  # the last is the mutation check
    assert cost.status == "failed" and all(c.status == "failed" for c in cases)
    assert all("overflow in np.exp, or log(0)?" in c.message for c in cases)
