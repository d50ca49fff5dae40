"""Beyond the course: backpropagation by hand, graded against Keras's own gradient descent.

The learner trains a sigmoid network with one hidden layer (the course's coffee-roasting
shape, 2-3-1) with NumPy only. Its cost per step must match the loss curve Keras records when
it trains the same network from the same weights with plain SGD on one full batch; the
curve comes from nntutor's reference worker (:mod:`nntutor.core.keras_reference`).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import numpy as np

from nntutor.core import data, keras_reference
from nntutor.core.compare import Tolerance, Verdict, compare, describe_type
from nntutor.core.results import Curve
from nntutor.core.runner import CallOutcome
from nntutor.core.spec import Case, ExerciseSpec, Graded, Mistake, error_check, reference_failure
from nntutor.reference import network as ref
from nntutor.reference.logistic import sigmoid

NAMES = ("X", "y", "W1", "b1", "W2", "b2", "alpha", "num_iters")
# Keras trains in float32 and the learner in float64: over 100 steps the costs agreed to
# 1.5e-7 (relative) when measured, so this leaves margin while a wrong gradient is far off.
KERAS_TOLERANCE = Tolerance(rtol=1e-5, atol=1e-7)
PARAMETERS_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)
RUNS = (
    # name, seed, m, sizes, alpha, num_iters, points
    (
        "the roast network (2-3-1), 200 examples, 60 steps of alpha = 1",
        1501,
        200,
        (2, 3, 1),
        1.0,
        60,
        5.0,
    ),
    ("a 4-5-1 network, 50 examples, 30 steps of alpha = 0.3", 1502, 50, (4, 5, 1), 0.3, 30, 3.0),
    ("one example, a 3-2-1 network, 5 steps of alpha = 0.5", 1503, 1, (3, 2, 1), 0.5, 5, 2.0),
)


def _run(
    case: Case, *, hidden_derivative: bool = True, mean: bool = True, sign: float = -1.0
) -> tuple[Any, ...]:
    """The training loop with one classic slip switched on, to recognise it."""
    X, y, W1, b1, W2, b2, alpha, num_iters = case.args
    m = X.shape[0] if mean else 1
    history = []
    for _ in range(num_iters):
        A1 = sigmoid(X @ W1 + b1)
        f = sigmoid(A1 @ W2 + b2)
        history.append(float(np.mean(-y * np.log(f[:, 0]) - (1 - y) * np.log(1 - f[:, 0]))))
        dZ2 = (f - y[:, None]) / m
        dA1 = dZ2 @ W2.T
        dZ1 = dA1 * A1 * (1 - A1) if hidden_derivative else dA1
        W2, b2 = W2 + sign * alpha * (A1.T @ dZ2), b2 + sign * alpha * dZ2.sum(axis=0)
        W1, b1 = W1 + sign * alpha * (X.T @ dZ1), b1 + sign * alpha * dZ1.sum(axis=0)
    return W1, b1, W2, b2, history


def _final_w1_like(**slip: Any) -> Any:
    def detect(case: Case, got: Any, expected: Any) -> bool:
        if not isinstance(got, tuple | list) or len(got) != 5:
            return False
        with np.errstate(all="ignore"):
            want = _run(case, **slip)
        return all(
            np.shape(g) == np.shape(w) and np.allclose(np.asarray(g, float), w, rtol=1e-5)
            for g, w in zip(got[:4], want[:4], strict=True)
        )

    return detect


def _cost_after_the_step(case: Case, got: Any, expected: Any) -> bool:
    try:
        history = np.asarray(got[4], dtype=float).ravel()
    except (TypeError, ValueError, IndexError):
        return False
    want = np.asarray(expected[4])
    return history.shape == want.shape and bool(
        np.allclose(history[:-1], want[1:], rtol=1e-5) and not np.allclose(history, want)
    )


class BackpropSpec(ExerciseSpec):
    exercise_id, function = "backprop", "train_two_layer"
    what = "train_two_layer"
    mutation_points = 1.0
    mistakes = (
        Mistake(
            "backprop_missing_sigmoid_derivative",
            "the hidden layer's sigmoid derivative is missing",
            "The error reaching the hidden layer passes back through its sigmoid: multiply "
            "dA1 = dZ2 @ W2.T by g'(z1) = A1 * (1 - A1), elementwise, to get dZ1.",
            detect=_final_w1_like(hidden_derivative=False),
        ),
        Mistake(
            "backprop_not_divided_by_m",
            "the gradients are summed over the examples, not averaged",
            "The cost is the mean loss, so its gradient is a mean too: divide dZ2 by m "
            "(Keras's loss averages over the batch the same way).",
            detect=_final_w1_like(mean=False),
        ),
        Mistake(
            "backprop_ascent",
            "the update adds the gradient",
            "Gradient descent steps against the gradient: W = W - alpha * dW.",
            detect=_final_w1_like(sign=1.0),
        ),
        Mistake(
            "backprop_cost_after_step",
            "each cost is measured after its step instead of before it",
            "Record J in the forward pass of each step, before updating the parameters: "
            "that is the loss Keras reports for an epoch of one batch.",
            detect=_cost_after_the_step,
        ),
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keras: Future[Any] | None = None

    def cases(self, variant: str) -> list[Case]:
        cases = []
        for name, seed, m, sizes, alpha, iters, points in RUNS:
            if sizes[0] == 2:
                X, y = data.roast_quality(seed, m)
            else:
                X, y = data.classification(seed, m, sizes[0])
            rng = np.random.default_rng(seed)
            W1, b1, W2, b2 = (w.astype(float) for w in ref.glorot_weights(seed, sizes))
            b1, b2 = rng.normal(0.0, 0.1, b1.shape), rng.normal(0.0, 0.1, b2.shape)
            args = (X.astype(float), y.astype(float), W1, b1, W2, b2, alpha, iters)
            cases.append(Case(name, args, points, seed=seed, arg_names=NAMES))
        return cases

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        self._keras_curves()  # Keras trains in the reference worker meanwhile
        return case.args

    def _keras_curves(self) -> Future[Any]:
        with self._lock:
            if self._keras is None:
                runs = [
                    {
                        "X": c.args[0],
                        "y": c.args[1],
                        "weights": list(c.args[2:6]),
                        "alpha": c.args[6],
                        "epochs": c.args[7],
                    }
                    for c in self.cases("standard")
                ]
                self._keras = keras_reference.compute_later({"op": "sgd_curves", "runs": runs})
                self._keras.add_done_callback(self._forget_failure)
            return self._keras

    def _forget_failure(self, future: Future[Any]) -> None:
        if future.exception() is not None:
            with self._lock:
                self._keras = None

    def expected(self, case: Case, variant: str) -> Any:
        return ref.train_two_layer(*case.args)

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        got, expected = outcome.value, self.expected(case, variant)
        if not isinstance(got, tuple | list) or len(got) != 5:
            verdict = Verdict(
                False,
                "type",
                "train_two_layer should return five values, "
                f"(W1, b1, W2, b2, J_history); got {describe_type(got)}",
            )
            return Graded([self.to_check(case, verdict, got, expected)])
        try:
            index = [c.seed for c in self.cases(variant)].index(case.seed)
            keras_curve = np.asarray(
                self._keras_curves().result(timeout=keras_reference.WORKER_TIMEOUT)[index]
            )
        except Exception as exc:  # the worker's failure is nntutor's, not the learner's
            return reference_failure(case, "Keras's reference curve", exc)
        try:
            history = np.asarray(got[4], dtype=float).ravel()
        except (TypeError, ValueError):
            history = None
        curve_case = case.part("J_history matches Keras's SGD, step by step", 0.6)
        curve_verdict = (
            compare(keras_curve, history, KERAS_TOLERANCE, "J_history")
            if history is not None
            else Verdict(
                False, "type", f"J_history should be a list of costs; got {describe_type(got[4])}"
            )
        )
        checks = [self.to_check(curve_case, curve_verdict, got, expected)]
        params_case = case.part("the trained W1, b1, W2, b2", 0.4)
        checks.append(self.to_check(params_case, self._parameters(got, expected), got, expected))
        curve = None
        if history is not None:
            curve = Curve(
                learner=[float(v) for v in history[:10_000]],
                reference=[float(v) for v in keras_curve],
                label="cost per step (Keras: SGD, one full batch)",
            )
        return Graded(checks, curve)

    def _parameters(self, got: Any, expected: Any) -> Verdict:
        for name, value, want in zip(("W1", "b1", "W2", "b2"), got[:4], expected[:4], strict=True):
            verdict = compare(want, value, PARAMETERS_TOLERANCE, f"the trained {name}")
            if not verdict.ok:
                return verdict
        return Verdict(True)


SPECS: tuple[ExerciseSpec, ...] = (BackpropSpec(),)
