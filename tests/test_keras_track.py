"""The Keras steps graded in a TensorFlow child: build, compile, fit; live epochs; warm child."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nntutor.core import keras_reference
from nntutor.core.catalogue import default_catalogue
from nntutor.core.grader import SESSION_LIMITS, GradeOptions, grade_paths
from nntutor.core.results import ExerciseResult, SubmissionResult, submission_to_dict
from nntutor.core.runner import Limits
from nntutor.core.specs import all_specs
from nntutor.core.specs.keras import CURVE_TOLERANCE, TRAIN_RUNS
from nntutor.core.warm import WarmPool
from nntutor.reference import network as ref
from nntutor.reference.logistic import sigmoid

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct_vectorised.py"
KERAS = ("build_model", "compile_model", "train_model")
slow = pytest.mark.slow
Events = list[tuple[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmPool]:
    """A private reference cache and one warm TensorFlow child at a time for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        with WarmPool() as warm:
            yield warm


@pytest.fixture(scope="module")
def correct(pool: WarmPool) -> tuple[SubmissionResult, Events]:
    """Both tracks of the correct solution graded once, from one file, with its events."""
    events: Events = []
    options = GradeOptions(on_event=lambda ex, event: events.append((ex, event)), warm=pool)
    return grade_paths([str(CORRECT)], options), events


def by_id(result: SubmissionResult) -> dict[str, ExerciseResult]:
    return {e.id: e for e in result.exercises}


@slow
def test_the_correct_solution_passes_both_tracks_from_one_file(correct: Any) -> None:
    result, _ = correct
    statuses = {e.id: e.status for e in result.exercises}
    course = [ex.id for ex in default_catalogue().exercises if not ex.optional]
    assert statuses == dict.fromkeys(course, "passed")  # backprop only when asked for
    assert result.score == result.max_score
    assert "tensorflow" not in sys.modules, "the grader process must never import TensorFlow"


@slow
def test_the_loss_curve_in_the_json_matches_the_reference(correct: Any) -> None:
    result, _ = correct
    train = next(e for e in submission_to_dict(result)["exercises"] if e["id"] == "train_model")
    learner, reference = train["curve"]["learner"], train["curve"]["reference"]
    assert len(learner) == len(reference) == TRAIN_RUNS[0][3]
    np.testing.assert_allclose(
        learner, reference, rtol=CURVE_TOLERANCE.rtol, atol=CURVE_TOLERANCE.atol
    )
    assert reference[-1] < reference[0], "the reference network should be learning"


@slow
def test_each_epoch_arrives_live_with_its_loss(correct: Any) -> None:
    result, events = correct
    epochs = [(e["epoch"], e["epochs"]) for ex, e in events if ex == "train_model"]
    assert epochs == [(i, n) for *_, n, _ in TRAIN_RUNS for i in range(1, n + 1)]
    curve = by_id(result)["train_model"].curve
    assert curve is not None
    first_fit = [e["loss"] for ex, e in events if ex == "train_model"][: len(curve.learner)]
    assert first_fit == curve.learner


# Every Keras-track mistake file: a new one is checked without being listed here.
MISTAKES = sorted(
    path.stem
    for path in (SUBMISSIONS / "mistakes").glob("*.py")
    if path.read_text().splitlines()[0].removeprefix("# exercise:").strip() in KERAS
)


@slow
@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_fails_only_its_exercise_and_is_named(
    pool: WarmPool, tmp_path: Path, mistake: str
) -> None:
    """train_model gets nntutor's own compiled model, so a build or compile mistake cannot
    reach it; skipping its fits there keeps this test quick."""
    source = (SUBMISSIONS / "mistakes" / f"{mistake}.py").read_text()
    exercise = source.splitlines()[0].removeprefix("# exercise:").strip()
    path = tmp_path / "submission.py"
    path.write_text(CORRECT.read_text() + "\n\n" + source)
    chosen = KERAS if exercise == "train_model" else KERAS[:2]
    results = by_id(grade_paths([str(path)], GradeOptions(exercises=chosen, warm=pool)))
    assert results[exercise].status == "failed"
    named = [c for c in results[exercise].checks if c.mistake == mistake]
    assert named and named[0].message and named[0].hint and named[0].status == "failed"
    assert mistake in {m.id for m in all_specs()[exercise].mistakes}, "registered for titles"
    assert all(r.status == "passed" for e, r in results.items() if e != exercise)


def with_functions(tmp_path: Path, code: str) -> Path:
    path = tmp_path / "submission.py"
    path.write_text(CORRECT.read_text() + "\n\n" + code)
    return path


def grade_one(pool: WarmPool, tmp_path: Path, exercise: str, code: str) -> ExerciseResult:
    """``exercise`` graded on the correct solution with ``code`` defined after it."""
    options = GradeOptions(exercises=[exercise], warm=pool)
    return grade_paths([str(with_functions(tmp_path, code))], options).exercises[0]


@slow
def test_the_loss_and_optimizer_may_be_given_as_strings(pool: WarmPool, tmp_path: Path) -> None:
    code = (
        "def compile_model(model):\n"
        "    model.compile(loss='binary_crossentropy', optimizer='adam')\n"
        "    return model\n"
    )
    result = grade_one(pool, tmp_path, "compile_model", code)
    assert result.status == "passed", [c.message for c in result.checks if not c.passed]


@slow
def test_partial_data_and_a_history_dict_are_named(pool: WarmPool, tmp_path: Path) -> None:
    code = (
        "def train_model(model, X, y, epochs):\n"
        "    return model.fit(X[:40], y[:40], epochs=epochs, verbose=0).history\n"
    )
    result = grade_one(pool, tmp_path, "train_model", code)
    named = {c.mistake for c in result.checks}
    assert {"train_part_of_data", "train_returns_history_dict"} <= named
    assert result.curve is not None, "the curve is drawn from the model's own History"


@slow
def test_the_same_data_in_another_container_passes(pool: WarmPool, tmp_path: Path) -> None:
    """A float64 copy, a tensor, a column of labels, keywords: the data fit sees is X and y."""
    code = (
        "def train_model(model, X, y, epochs):\n"
        "    import tensorflow as tf\n"
        "    x = tf.constant(X.astype('float64'))\n"
        "    return model.fit(x=x, y=y.reshape(-1, 1), batch_size=32, epochs=epochs)\n"
    )
    result = grade_one(pool, tmp_path, "train_model", code)
    assert result.status == "passed", [c.message for c in result.checks if not c.passed]


@slow
def test_a_validation_split_and_a_learning_rate_set_by_hand_are_named(
    pool: WarmPool, tmp_path: Path
) -> None:
    code = (
        "def train_model(model, X, y, epochs):\n"
        "    model.optimizer.learning_rate = 0.01\n"
        "    return model.fit(X, y, epochs=epochs, validation_split=0.2)\n"
    )
    result = grade_one(pool, tmp_path, "train_model", code)
    named = {c.mistake: c.message for c in result.checks if c.mistake}
    assert "validation_split=0.2" in named["train_part_of_data"]
    assert "learning rate 0.01" in named["train_recompiled_optimizer"]


@slow
def test_a_float32_rate_and_a_returned_model_are_named_as_the_learner_wrote_them(
    pool: WarmPool, tmp_path: Path
) -> None:
    """Adam(0.01) reads 0.01, not 0.009999999776; the model is no ReportingSequential."""
    code = (
        "def compile_model(model):\n"
        "    import tensorflow as tf\n"
        "    model.compile(loss='binary_crossentropy', optimizer=tf.keras.optimizers.Adam(0.01))\n"
        "    return model\n"
        "def train_model(model, X, y, epochs):\n"
        "    model.fit(X, y, epochs=epochs, verbose=0)\n"
        "    return model\n"
    )
    options = GradeOptions(exercises=["compile_model", "train_model"], warm=pool)
    result = grade_paths([str(with_functions(tmp_path, code))], options)
    messages = "\n".join(c.message for e in result.exercises for c in e.checks if not c.passed)
    assert "The learning rate is 0.01, expected 0.001" in messages
    assert "returned the Sequential model itself, not the History" in messages
    assert "Reporting" not in messages


@slow
def test_a_fit_that_never_ends_is_stopped_by_the_timeout(pool: WarmPool, tmp_path: Path) -> None:
    path = tmp_path / "submission.py"
    path.write_text(
        CORRECT.read_text() + "\n\ndef train_model(model, X, y, epochs):\n"
        "    return model.fit(X, y, epochs=10**9, verbose=0)\n"
    )
    events: Events = []
    limits = {**SESSION_LIMITS, "keras": Limits(call_timeout=2.5, load_timeout=60.0, data_mib=3072)}
    options = GradeOptions(
        exercises=["train_model"],
        limits=limits,
        warm=pool,
        on_event=lambda ex, event: events.append((ex, event)),
    )
    result = by_id(grade_paths([str(path)], options))["train_model"]
    assert result.status == "error"
    assert "train_model() did not finish within 2.5 s" in result.checks[0].message
    assert events, "epochs should have been reported while the fit ran"


@slow
def test_a_warm_child_serves_one_grading_and_is_replaced(pool: WarmPool) -> None:
    waiting = pool.waiting("keras")
    assert waiting is not None and waiting.alive
    result = grade_paths([str(CORRECT)], GradeOptions(exercises=["build_model"], warm=pool))
    assert result.exercises[0].status == "passed"
    assert not waiting.alive, "the child that graded must be closed, never reused"
    replacement = pool.waiting("keras")
    assert replacement is not None and replacement is not waiting and replacement.alive


@slow
def test_the_numpy_reference_computes_what_a_keras_dense_layer_computes(pool: WarmPool) -> None:
    spec = all_specs()["my_dense_v"]
    layers = [
        {"A": A, "W": W, "b": b, "activation": g.name}
        for A, W, b, g in (case.args for case in spec.cases("standard"))
    ]
    outputs = keras_reference.compute({"op": "dense", "layers": layers})
    activations = {"sigmoid": sigmoid, "tanh": np.tanh}
    for layer, got in zip(layers, outputs, strict=True):
        want = ref.my_dense_v(layer["A"], layer["W"], layer["b"], activations[layer["activation"]])
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ({"kind": "toplevel", "input_size": 3, "note": "from your model"}, ("toplevel:3", 3)),
        ({"kind": "toplevel", "input_size": None, "note": "n"}, ("toplevel:", None)),
        (None, ("standard", 2)),
    ],
)
def test_build_model_follows_a_top_level_model_s_own_input_size(
    variant: dict[str, Any] | None, expected: tuple[Any, ...]
) -> None:
    spec = all_specs()["build_model"]
    info: dict[str, Any] = {"params": [], "stand_in": False}
    if variant:
        info["variant"] = variant
    name, note = spec.variant(info)
    cases = spec.cases(name)
    assert (name, cases[0].extra["input_size"]) == expected
    assert note == (variant or {}).get("note")
    # Every form is graded out of the same, so a gradebook's max_score is one number.
    assert sum(case.points for case in cases) == 10.0


def test_in_memory_references_never_read_or_write_the_disk_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NNTUTOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(keras_reference, "_memory", {})
    calls = []
    answer = keras_reference.wire.encode([1.5])
    monkeypatch.setattr(keras_reference, "_run_worker", lambda encoded: calls.append(1) or answer)
    assert keras_reference.compute({"op": "curve", "epochs": 3}) == [1.5]
    assert keras_reference.compute({"op": "curve", "epochs": 3}) == [1.5]
    assert calls == [1]
    assert not list(tmp_path.rglob("*.json"))
