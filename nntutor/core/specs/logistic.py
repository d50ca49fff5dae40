"""Grading specs of the logistic-regression track (NumPy)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import numpy as np

from nntutor.child.wire import StandIn
from nntutor.core import data
from nntutor.core.compare import Tolerance, Verdict, compare, describe_type
from nntutor.core.results import Curve
from nntutor.core.runner import CallOutcome
from nntutor.core.spec import (
    Case,
    ExerciseSpec,
    Graded,
    Mistake,
    Unrecognised,
    accepts_varargs,
    error_check,
    params_of,
)
from nntutor.reference import logistic as ref

XYWB = ("X", "y", "w", "b")
STANDARD, WITH_LAMBDA = "standard", "lambda"


def _lambda_variant(function: str, info: dict[str, Any]) -> tuple[str, str | None]:
    """The lab's ``f(X, y, w, b, lambda_=...)``: called with lambda_ = 0, no regularisation."""
    names = params_of(info.get("params"))
    if len(names) == 5:
        return WITH_LAMBDA, (
            f"recognised the lab's form {function}({', '.join(names)}); nntutor passes "
            f"{names[4]} = 0, as this exercise has no regularisation"
        )
    return STANDARD, None


def _z(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return X @ w + b


class SigmoidSpec(ExerciseSpec):
    exercise_id, function = "sigmoid", "sigmoid"
    what = "sigmoid(z)"
    mistakes = (
        Mistake(
            "sigmoid_sign_flipped",
            "the sign of z is flipped: 1 / (1 + e^z)",
            "g(z) must grow with z: g(0) = 0.5, g(large) → 1. With e^(+z) in the "
            "denominator the curve is mirrored, so every prediction is inverted.",
            compute=lambda z: ref.sigmoid(-np.asarray(z, dtype=float)),
        ),
        Mistake(
            "sigmoid_no_reciprocal",
            "1 + e^(-z) without taking 1 / (…)",
            "The sigmoid is the reciprocal: divide 1 by (1 + e^(-z)).",
            compute=lambda z: 1 + np.exp(-np.asarray(z, dtype=float)),
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        rng = np.random.default_rng(101)
        return [
            Case("z = 0 gives 0.5 (a scalar in, a scalar out)", (0.0,), 2, arg_names=("z",)),
            Case("a positive scalar, z = 2", (2.0,), 1, arg_names=("z",)),
            Case("a 1-D array of random z", (rng.normal(0, 3, 7),), 2, seed=101, arg_names=("z",)),
            Case(
                "a 2-D array keeps its shape",
                (rng.normal(0, 3, (3, 4)),),
                2,
                seed=101,
                arg_names=("z",),
            ),
            Case(
                "large |z|: -1000, -30, 30, 1000 (no overflow, no nan)",
                (np.array([-1000.0, -30.0, 30.0, 1000.0]),),
                2,
                arg_names=("z",),
            ),
        ]

    def expected(self, case: Case, variant: str) -> Any:
        return ref.sigmoid(case.args[0])


class ModelOutputSpec(ExerciseSpec):
    exercise_id, function = "model_output", "compute_model_output"
    what = "f_wb"
    mistakes = (
        Mistake(
            "model_output_no_sigmoid",
            "z = X·w + b is returned without the sigmoid",
            "The model's output is g(z), a probability between 0 and 1: pass z through "
            "sigmoid() before returning it.",
            compute=_z,
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        cases = []
        for name, seed, m, n, points in (
            ("6 examples, 3 features", 201, 6, 3, 3),
            ("one example with one feature (m = 1, n = 1)", 202, 1, 1, 2),
            ("40 examples, 2 features", 203, 40, 2, 3),
        ):
            X, _ = data.classification(seed, m, n)
            w, b = data.parameters(seed, n)
            cases.append(Case(name, (X, w, b), points, seed=seed, arg_names=("X", "w", "b")))
        X, _ = data.classification(204, 5, 2)
        cases.append(
            Case(
                "w = 0 and b = 0 give 0.5 for every example",
                (X, np.zeros(2), 0.0),
                1,
                seed=204,
                arg_names=("X", "w", "b"),
            )
        )
        return cases

    def expected(self, case: Case, variant: str) -> Any:
        return ref.compute_model_output(*case.args)


class LossSpec(ExerciseSpec):
    exercise_id, function = "loss", "compute_loss"
    what = "the loss"
    mistakes = (
        Mistake(
            "loss_missing_one_minus_y_term",
            "the (1 - y) term is missing",
            "With only -y·log(f), every example with y = 0 costs nothing, so the model is "
            "never pushed away from predicting 1. Add - (1 - y)·log(1 - f).",
            compute=lambda f, y: -y * np.log(f),
        ),
        Mistake(
            "loss_sign_flipped",
            "the minus sign is missing: the loss is negative",
            "log of a probability is ≤ 0, so the loss needs the leading minus to be ≥ 0.",
            compute=lambda f, y: y * np.log(f) + (1 - y) * np.log(1 - f),
        ),
        Mistake(
            "loss_squared_error",
            "a squared error instead of the logistic loss",
            "Logistic regression uses -y·log(f) - (1-y)·log(1-f); the squared error makes "
            "the cost non-convex for a sigmoid model.",
            compute=lambda f, y: (f - y) ** 2 / 2,
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        rng = np.random.default_rng(301)
        f = rng.uniform(0.05, 0.95, 8)
        y = (rng.random(8) < 0.5).astype(float)
        return [
            Case("one example, y = 1, f = 0.8", (0.8, 1.0), 2, arg_names=("f_x", "y")),
            Case("one example, y = 0, f = 0.3", (0.3, 0.0), 2, arg_names=("f_x", "y")),
            Case("elementwise on arrays", (f, y), 3, seed=301, arg_names=("f_x", "y")),
            Case(
                "y all 1 and all 0",
                (np.array([0.9, 0.2, 0.6, 0.1]), np.array([1.0, 1.0, 0.0, 0.0])),
                2,
                arg_names=("f_x", "y"),
            ),
        ]

    def expected(self, case: Case, variant: str) -> Any:
        return ref.compute_loss(*case.args)


def _cost_cases(first_seed: int) -> list[Case]:
    cases = []
    for name, seed, m, n, labels, points in (
        ("12 examples, 3 features", first_seed, 12, 3, None, 3),
        ("every label y = 0", first_seed + 1, 7, 2, 0.0, 2),
        ("every label y = 1", first_seed + 2, 7, 2, 1.0, 2),
        ("one example with one feature (m = 1, n = 1)", first_seed + 3, 1, 1, None, 2),
    ):
        X, y = data.classification(seed, m, n)
        if labels is not None:
            y = np.full(m, labels)
        w, b = data.parameters(seed, n)
        cases.append(Case(name, (X, y, w, b), points, seed=seed, arg_names=XYWB))
    return cases


def _divides_by_constant(case: Case, got: Any, expected: Any) -> bool:
    """True when got = expected · m / k for a whole k ≠ m: a global m from the notebook."""
    m = case.args[0].shape[0]
    got_arr, exp_arr = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape or not np.all(np.abs(got_arr) > 1e-12):
        return False
    k = np.ravel(exp_arr * m / got_arr)
    return bool(
        np.allclose(k, k[0], rtol=1e-6)
        and abs(k[0] - round(k[0])) < 1e-6
        and round(k[0]) not in (m, 1)
    )


class CostSpec(ExerciseSpec):
    exercise_id, function = "cost", "compute_cost"
    what = "the cost J(w, b)"
    aliases = MappingProxyType(
        {"compute_cost_logistic": "the optional lab's compute_cost_logistic(X, y, w, b)"}
    )
    mistakes = (
        Mistake(
            "cost_not_divided_by_m",
            "the sum of the losses, not their mean",
            "The cost is the average loss: divide the sum by m = X.shape[0], so that J does "
            "not grow with the size of the data set.",
            compute=lambda X, y, w, b: float(
                np.sum(ref.compute_loss(ref.compute_model_output(X, w, b), y))
            ),
        ),
        Mistake(
            "cost_global_m",
            "divided by a fixed number, not by this data's m",
            "Take m from the data inside the function (m = X.shape[0]); a variable m left "
            "over from elsewhere in the notebook is the wrong size for other data.",
            detect=_divides_by_constant,
        ),
        Mistake(
            "cost_missing_one_minus_y_term",
            "the (1 - y) term of the loss is missing",
            "Each example's loss is -y·log(f) - (1-y)·log(1-f); without the second term "
            "examples with y = 0 cost nothing.",
            compute=lambda X, y, w, b: float(
                np.mean(-y * np.log(ref.compute_model_output(X, w, b)))
            ),
        ),
        Mistake(
            "cost_no_sigmoid",
            "the loss is computed on z instead of g(z)",
            "f_wb = sigmoid(X·w + b): the logs need a probability, not z.",
            compute=lambda X, y, w, b: float(np.mean(ref.compute_loss(_z(X, w, b), y))),
        ),
    )

    def variant(self, info: dict[str, Any]) -> tuple[str, str | None]:
        return _lambda_variant(self.function, info)

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        return (*case.args, 0.0) if variant == WITH_LAMBDA else case.args

    def cases(self, variant: str) -> list[Case]:
        return _cost_cases(401)

    def expected(self, case: Case, variant: str) -> Any:
        return ref.compute_cost(*case.args)


def _swapped(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[Any, Any]:
    dj_db, dj_dw = ref.compute_gradient(X, y, w, b)
    return dj_dw, dj_db


class GradientSpec(ExerciseSpec):
    exercise_id, function = "gradient", "compute_gradient"
    what = "the gradient"
    aliases = MappingProxyType(
        {"compute_gradient_logistic": "the optional lab's compute_gradient_logistic(X, y, w, b)"}
    )
    mistakes = (
        Mistake(
            "gradient_order_swapped",
            "returned as (dj_dw, dj_db) instead of (dj_db, dj_dw)",
            "The course's convention returns the bias derivative first: "
            "`return dj_db, dj_dw`. gradient_descent unpacks them in that order.",
            compute=_swapped,
        ),
        Mistake(
            "gradient_sign_flipped",
            "the error is y - f instead of f - y",
            "The derivative of the cost uses err = f_wb(x) - y. With y - f every step of "
            "gradient descent goes uphill.",
            compute=lambda X, y, w, b: tuple(
                -np.asarray(v) for v in ref.compute_gradient(X, y, w, b)
            ),
        ),
        Mistake(
            "gradient_not_divided_by_m",
            "the gradient is summed, not averaged",
            "Both dj_dw and dj_db are means over the m examples: divide by m, as the cost "
            "does, or the step size grows with the data set.",
            compute=lambda X, y, w, b: tuple(
                np.asarray(v) * X.shape[0] for v in ref.compute_gradient(X, y, w, b)
            ),
        ),
        Mistake(
            "gradient_no_sigmoid",
            "err uses z instead of g(z)",
            "err = sigmoid(X·w + b) - y: the model's output is the probability.",
            compute=lambda X, y, w, b: (
                float(np.mean(_z(X, w, b) - y)),
                X.T @ (_z(X, w, b) - y) / X.shape[0],
            ),
        ),
    )

    def variant(self, info: dict[str, Any]) -> tuple[str, str | None]:
        return _lambda_variant(self.function, info)

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        return (*case.args, 0.0) if variant == WITH_LAMBDA else case.args

    def cases(self, variant: str) -> list[Case]:
        cases = _cost_cases(501)
        cases[0].points = 2
        X, y = data.classification(505, 9, 3)
        cases.append(Case("w = 0 and b = 0", (X, y, np.zeros(3), 0.0), 1, seed=505, arg_names=XYWB))
        return cases

    def expected(self, case: Case, variant: str) -> Any:
        return ref.compute_gradient(*case.args)

    def verdict(self, case: Case, got: Any, expected: Any) -> Verdict:
        if not isinstance(got, tuple | list) or len(got) != 2:
            return Verdict(
                False,
                "type",
                "compute_gradient should return two values, "
                f"(dj_db, dj_dw); got {describe_type(got)}",
            )
        for part, name in ((0, "dj_db"), (1, "dj_dw")):
            verdict = compare(expected[part], got[part], self.tolerance, name)
            if not verdict.ok:
                return verdict
        return Verdict(True)


# -- gradient descent ------------------------------------------------------------------

LONG, SHORT = "long", "short"
GD_TOLERANCE = Tolerance(1e-6, 1e-8)


def _ascent(
    X: np.ndarray, y: np.ndarray, w_in: np.ndarray, b_in: float, alpha: float, num_iters: int
) -> tuple[Any, ...]:
    w, b, history = w_in.copy(), b_in, []
    for _ in range(num_iters):
        dj_db, dj_dw = ref.compute_gradient(X, y, w, b)
        w, b = w + alpha * dj_dw, b + alpha * dj_db
        history.append(ref.compute_cost(X, y, w, b))
    return w, b, history


def _diverges(history: Any, start_cost: float) -> bool:
    """A cost that becomes inf/nan or climbs well above where it started."""
    try:
        values = np.asarray(history, dtype=float).ravel()
    except (TypeError, ValueError):
        return False
    return bool(values.size and (not np.isfinite(values).all() or values.max() > 2 * start_cost))


class GradientDescentSpec(ExerciseSpec):
    exercise_id, function = "gradient_descent", "gradient_descent"
    what = "gradient_descent"
    mistakes = (
        Mistake(
            "gradient_ascent",
            "gradient ascent: the update adds the gradient",
            "Gradient descent steps against the slope: w = w - alpha·dj_dw and "
            "b = b - alpha·dj_db. With + the cost climbs at every step.",
            detect=lambda case, got, expected: _matches_run(got, _ascent(*case.extra["run"])),
        ),
        Mistake(
            "diverging_cost",
            "the cost grows instead of shrinking",
            "A cost that rises step after step means each step overshoots: the learning "
            "rate is too large (is alpha used as given, not replaced by a constant?) or the "
            "update has the wrong sign.",
            detect=lambda case, got, expected: (
                isinstance(got, tuple | list)
                and len(got) >= 3
                and _diverges(got[2], case.extra["start_cost"])
            ),
        ),
    )

    def variant(self, info: dict[str, Any]) -> tuple[str, str | None]:
        params = info.get("params")
        names = params_of(params)
        if "cost_function" in names or len(names) >= 8:
            return LONG, None
        if len(names) == 6 or (accepts_varargs(params) and len(names) < 6):
            return SHORT, (
                "recognised the short form gradient_descent(X, y, w_in, b_in, alpha, "
                "num_iters) -> (w, b, J_history); it calls compute_cost and "
                "compute_gradient, which nntutor provides while grading it"
            )
        raise Unrecognised(
            f"gradient_descent{tuple(names)} takes {len(names)} arguments; nntutor accepts "
            "(X, y, w_in, b_in, cost_function, gradient_function, alpha, num_iters, lambda_) "
            "or the short form (X, y, w_in, b_in, alpha, num_iters)"
        )

    def cases(self, variant: str) -> list[Case]:
        names = ("X", "y", "w_in", "b_in", "alpha", "num_iters")
        X, y = data.classification(601, 40, 2)
        w, b = data.parameters(601, 2)
        X2, y2 = data.exam_scores(603, 60)
        w2, b2 = np.array([0.001, -0.002]), -8.0
        X1, y1 = data.classification(602, 1, 1)
        w1, b1 = data.parameters(602, 1)
        runs = (
            ("40 examples, 2 features, 100 steps of alpha = 0.1", (X, y, w, b, 0.1, 100), 5, 601),
            (
                "exam-score-sized features (30 to 100), 60 steps of alpha = 0.001",
                (X2, y2, w2, b2, 0.001, 60),
                3,
                603,
            ),
            ("one example with one feature, 10 steps", (X1, y1, w1, b1, 0.5, 10), 1, 602),
        )
        return [
            Case(
                name,
                args,
                points,
                seed=seed,
                arg_names=names,
                extra={"run": args, "start_cost": ref.compute_cost(*args[:4])},
            )
            for name, args, points, seed in runs
        ]

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        X, y, w, b, alpha, iters = case.args
        if variant == SHORT:
            return case.args
        return (X, y, w, b, StandIn("compute_cost"), StandIn("compute_gradient"), alpha, iters, 0.0)

    def expected(self, case: Case, variant: str) -> Any:
        X, y, w, b, alpha, iters = case.args
        return ref.gradient_descent(
            X, y, w, b, ref.compute_cost, ref.compute_gradient, alpha, iters, 0.0
        )

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        got = outcome.value
        w_ref, b_ref, history_ref, _ = self.expected(case, variant)
        arity = 4 if variant == LONG else 3
        if not isinstance(got, tuple | list) or len(got) < 3:
            verdict = Verdict(
                False,
                "type",
                f"gradient_descent should return {arity} values "
                f"(w, b, J_history{', w_history' if arity == 4 else ''}); got "
                f"{describe_type(got)}",
            )
            return Graded([self.to_check(case, verdict, got, None)])
        w, b, history = got[0], got[1], got[2]
        history_arr = _as_curve(history)
        parts = [
            ("final w", 0.3, w, w_ref),
            ("final b", 0.2, b, b_ref),
            ("J_history, the cost after every step", 0.5, history_arr, np.asarray(history_ref)),
        ]
        checks = []
        for label, share, value, want in parts:
            sub = case.part(label, share)
            verdict = (
                compare(want, value, GD_TOLERANCE, label)
                if value is not None
                else Verdict(
                    False,
                    "type",
                    "J_history should be a list of costs, one per "
                    f"step; got {describe_type(history)}",
                )
            )
            checks.append(self.to_check(sub, verdict, got, None))
        curve = None
        if history_arr is not None:
            curve = Curve(
                learner=[float(v) for v in history_arr.ravel()[:10_000]],
                reference=[float(v) for v in history_ref],
                label="cost per step",
            )
        return Graded(checks, curve)


def _as_curve(history: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(history, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr.ravel() if arr.ndim <= 2 else None


def _matches_run(got: Any, run: tuple[Any, ...]) -> bool:
    if not isinstance(got, tuple | list) or len(got) < 3:
        return False
    return bool(
        np.allclose(np.asarray(got[0], dtype=float), run[0], rtol=1e-5)
        and np.allclose(float(np.asarray(got[1])), run[1], rtol=1e-5)
    )


class PredictSpec(ExerciseSpec):
    exercise_id, function = "predict", "predict"
    what = "the predictions"
    integer = True
    tolerance = Tolerance(0.0, 0.0)
    mistakes = (
        Mistake(
            "predict_thresholds_z",
            "z is thresholded instead of the probability g(z)",
            "Predict 1 when the model's probability sigmoid(X·w + b) is at least 0.5. "
            "Comparing z itself with 0.5 moves the decision boundary.",
            compute=lambda X, w, b: (_z(X, w, b) >= 0.5).astype(int),
        ),
        Mistake(
            "predict_strict_threshold",
            "> 0.5 instead of >= 0.5",
            "A probability of exactly 0.5 is predicted as 1: use >= 0.5.",
            compute=lambda X, w, b: (ref.compute_model_output(X, w, b) > 0.5).astype(int),
        ),
        Mistake(
            "predict_probabilities",
            "probabilities are returned, not 0/1 labels",
            "predict returns the decision: 1 where g(z) >= 0.5, else 0.",
            compute=ref.compute_model_output,
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        cases = []
        for name, seed, m, n, points in (
            ("10 examples, 2 features", 701, 10, 2, 3),
            ("one example with one feature (m = 1, n = 1)", 702, 1, 1, 2),
            ("25 examples, 4 features", 703, 25, 4, 2),
        ):
            X, _ = data.classification(seed, m, n)
            w, b = data.parameters(seed, n, scale=1.0)
            cases.append(Case(name, (X, w, b), points, seed=seed, arg_names=("X", "w", "b")))
        # z = 0, 0, 0.3, 4: two probabilities of exactly 0.5, one just above, one far above.
        X = np.array([[1.0, -1.0], [0.0, 0.0], [0.2, 0.1], [3.0, 1.0]])
        cases.append(
            Case(
                "a probability of exactly 0.5 predicts 1",
                (X, np.array([1.0, 1.0]), 0.0),
                2,
                arg_names=("X", "w", "b"),
            )
        )
        return cases

    def expected(self, case: Case, variant: str) -> Any:
        return ref.predict(*case.args)

    def verdict(self, case: Case, got: Any, expected: Any) -> Verdict:
        verdict = compare(expected, got, self.tolerance, self.what, integer=True)
        if verdict.ok or verdict.stage != "values":
            return verdict
        values = np.unique(np.asarray(got, dtype=float))
        if not np.isin(values, (0.0, 1.0)).all():
            verdict.message += " — predictions should be only 0 or 1"
        return verdict


SPECS: tuple[ExerciseSpec, ...] = (
    SigmoidSpec(),
    ModelOutputSpec(),
    LossSpec(),
    CostSpec(),
    GradientSpec(),
    GradientDescentSpec(),
    PredictSpec(),
)
