"""Grading specs of the neural network written by hand in NumPy, and of fit's step count.

The expected values come from :mod:`nntutor.reference.network`; a slow test proves that they
are what a Keras ``Dense`` layer holding the same weights computes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from nntutor.child.wire import StandIn
from nntutor.core.compare import EXACT, Tolerance, Verdict
from nntutor.core.results import CheckResult
from nntutor.core.runner import CallOutcome
from nntutor.core.spec import Case, ExerciseSpec, Graded, Mistake, error_check
from nntutor.core.stand_ins import STAND_INS
from nntutor.reference import network as ref
from nntutor.reference.logistic import sigmoid

DENSE_ARGS = ("a_in", "W", "b", "g")
SHAPE_HINT = (
    "W holds one column per unit: its shape is (n_in, units), so the input comes first in "
    "the product, a_in @ W, which gives (units,). W @ a_in only works when W is square, and "
    "then it mixes up the units' weights."
)


def _layer(rng: np.random.Generator, n_in: int, units: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(0.0, 1.0, (n_in, units)), rng.normal(0.0, 0.5, units)


def _g(case: Case) -> Callable[[Any], Any]:
    """The grader-side activation a case passed as ``g``."""
    return STAND_INS[case.args[3].name]


def _like(mistaken: Callable[..., Any]) -> Callable[[Case, Any, Any], bool]:
    """A detector: the learner's value equals ``mistaken(a_in, W, b, g)`` on the case."""

    def detect(case: Case, got: Any, expected: Any) -> bool:
        a_in, W, b, _ = case.args
        with np.errstate(all="ignore"):
            want = np.asarray(mistaken(a_in, W, b, _g(case)), dtype=float)
        got_arr = np.asarray(got, dtype=float)
        return want.shape == got_arr.shape and bool(np.allclose(got_arr, want, rtol=1e-6))

    return detect


G_MISTAKES = (
    Mistake(
        "my_dense_missing_g",
        "the activation g is never applied: the layer returns z = a_in @ W + b",
        "Each unit's output is g(z), not z: the activation is what lets a network of layers "
        "draw curved decision boundaries (without it, three layers collapse into one linear "
        "map). Return g(a_in @ W + b).",
        detect=_like(lambda a, W, b, g: a @ W + b),
    ),
    Mistake(
        "my_dense_g_before_bias",
        "g is applied before the bias is added: g(a_in @ W) + b",
        "The bias belongs inside the activation: z = a_in @ W + b first, then g(z).",
        detect=_like(lambda a, W, b, g: g(a @ W) + b),
    ),
    Mistake(
        "my_dense_g_on_input",
        "g is applied to the input instead of to z: g(a_in) @ W + b",
        "The activation acts on the layer's score z = a_in @ W + b, after the product.",
        detect=_like(lambda a, W, b, g: g(a) @ W + b),
    ),
    Mistake(
        "my_dense_ignores_g",
        "sigmoid is hard-coded instead of the g argument",
        "A layer's activation is a choice (sigmoid, relu, linear, ...): call the g you are "
        "given, g(z), rather than a fixed sigmoid.",
        detect=lambda case, got, expected: (
            case.args[3].name != "sigmoid"
            and _like(lambda a, W, b, g: sigmoid(a @ W + b))(case, got, expected)
        ),
    ),
    Mistake(
        "my_dense_transposed",
        "W is used transposed: W @ a_in instead of a_in @ W",
        SHAPE_HINT,
        detect=_like(lambda a, W, b, g: g((W @ a.T).T + b) if a.ndim > 1 else g(W @ a + b)),
    ),
)


class _DenseSpec(ExerciseSpec):
    """Shared judging of the two Dense-layer exercises: shape errors explain W's layout."""

    tolerance = Tolerance(1e-6, 1e-8)

    def expected(self, case: Case, variant: str) -> Any:
        a_in, W, b, _ = case.args
        return ref.my_dense_v(a_in, W, b, _g(case))

    def to_check(self, case: Case, verdict: Verdict, got: Any, expected: Any) -> CheckResult:
        check = super().to_check(case, verdict, got, expected)
        if verdict.stage == "shape" and not check.hint:
            check.hint = SHAPE_HINT
        return check

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is None:
            return super().judge(case, outcome, variant)
        check = error_check(case, outcome)
        message = str((outcome.error or {}).get("message", ""))
        if any(word in message for word in ("aligned", "matmul", "broadcast", "shape")):
            a_in, W, b, _ = case.args
            check.hint = (
                f"Here a_in is {a_in.shape}, W is {W.shape} and b is {b.shape}. " + SHAPE_HINT
            )
        return Graded([check])


class MyDenseSpec(_DenseSpec):
    exercise_id, function = "my_dense", "my_dense"
    what = "the layer's activations a_out"
    mistakes = G_MISTAKES

    def cases(self, variant: str) -> list[Case]:
        rng = np.random.default_rng(801)
        cases = []
        for name, n_in, units, g, points in (
            ("3 inputs, 4 units, g = sigmoid", 3, 4, "sigmoid", 3),
            ("a square W (3 inputs, 3 units): W and W.T differ", 3, 3, "sigmoid", 2),
            ("g = tanh: the layer applies the g it is given", 4, 2, "tanh", 2),
            ("one input, one unit", 1, 1, "sigmoid", 1),
            ("the first layer of a 2-25-15-1 network", 2, 25, "sigmoid", 2),
        ):
            W, b = _layer(rng, n_in, units)
            a_in = rng.normal(0.0, 1.0, n_in)
            cases.append(Case(name, (a_in, W, b, StandIn(g)), points, 801, arg_names=DENSE_ARGS))
        return cases


def _loops_over_features(A: np.ndarray, W: np.ndarray, b: np.ndarray, g: Any) -> np.ndarray:
    out = np.zeros((A.shape[0], W.shape[1]))
    for i in range(A.shape[1]):
        out[i] = g(A[i] @ W + b)
    return out


class MyDenseVSpec(_DenseSpec):
    exercise_id, function = "my_dense_v", "my_dense_v"
    what = "the layer's activations A_out"
    mistakes = (
        *G_MISTAKES,
        Mistake(
            "my_dense_v_loops_wrong_axis",
            "the loop runs over the features (axis 1) instead of the examples (axis 0)",
            "Row i of A_in is example i: there are A_in.shape[0] of them. Better still, drop "
            "the loop: A_in @ W computes every example's scores in one product.",
            detect=_like(_loops_over_features),
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        rng = np.random.default_rng(901)
        cases = []
        for name, m, n_in, units, g, points in (
            ("6 examples, 3 inputs, 4 units, g = sigmoid", 6, 3, 4, "sigmoid", 3),
            ("a square W (4 inputs, 4 units)", 5, 4, 4, "sigmoid", 2),
            ("g = tanh: the layer applies the g it is given", 4, 3, 2, "tanh", 2),
            ("one example: the result is still 2-D, (1, units)", 1, 3, 2, "sigmoid", 1),
            ("a 2-25 layer on 200 examples", 200, 2, 25, "sigmoid", 2),
        ):
            W, b = _layer(rng, n_in, units)
            A = rng.normal(0.0, 1.0, (m, n_in))
            cases.append(
                Case(name, (A, W, b, StandIn(g)), points, 901, arg_names=("A_in", "W", "b", "g"))
            )
        return cases


def _no_output_sigmoid(x: np.ndarray, *weights: np.ndarray) -> np.ndarray:
    W1, b1, W2, b2, W3, b3 = weights
    a2 = sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)
    return a2 @ W3 + b3


class MySequentialSpec(ExerciseSpec):
    exercise_id, function = "my_sequential", "my_sequential"
    what = "the network's output a3"
    tolerance = Tolerance(1e-6, 1e-8)
    mistakes = (
        Mistake(
            "my_sequential_linear_output",
            "the output layer has no sigmoid",
            "Every layer of this network, the last one included, is a sigmoid layer: the "
            "output is a probability between 0 and 1.",
            compute=_no_output_sigmoid,
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        rng = np.random.default_rng(1001)
        names = ("x", "W1", "b1", "W2", "b2", "W3", "b3")
        cases = []
        for name, sizes, points in (
            ("the course's 2-25-15-1 network", (2, 25, 15, 1), 4),
            ("a small 3-4-3-1 network", (3, 4, 3, 1), 3),
            ("a 1-2-2-1 network", (1, 2, 2, 1), 2),
        ):
            weights = []
            for n_in, units in itertools.pairwise(sizes):
                weights += _layer(rng, n_in, units)
            x = rng.normal(0.0, 1.0, sizes[0])
            cases.append(Case(name, (x, *weights), points, 1001, arg_names=names))
        return cases

    def expected(self, case: Case, variant: str) -> Any:
        return ref.my_sequential(*case.args)


def _steps(round_batches: Callable[[int, int], int]) -> Callable[[int, int, int], int]:
    return lambda m, batch_size, epochs: epochs * round_batches(m, batch_size)


STEPS_FLOOR = Mistake(
    "steps_floor",
    "the batches per epoch are rounded down (m // batch_size)",
    "fit does not drop the examples left over after the last full batch: they form "
    "one smaller batch, and that batch is one more gradient step. Round up: "
    "math.ceil(m / batch_size).",
    compute=_steps(lambda m, bs: m // bs),
)
STEPS_ROUND = Mistake(
    "steps_round",
    "the batches per epoch are rounded to the nearest whole number (round(m / batch_size))",
    "round() is right only when the last batch is at least half full; when fewer examples "
    "are left over it drops them. Yet every left-over example still forms one more batch, "
    "and one more gradient step: round up with math.ceil(m / batch_size).",
)
# round(m / batch_size) is the ceiling here (15.625) and the floor on the other partial cases.
ROUNDS_UP = "1000 examples in batches of 64 for 5 epochs: a last batch of 40"


class GradientStepsSpec(ExerciseSpec):
    exercise_id, function = "gradient_steps", "gradient_steps"
    what = "the number of gradient steps"
    mutation_points = 0.0  # whole numbers in, nothing to mutate
    integer = True
    tolerance = EXACT
    mistakes = (
        STEPS_FLOOR,
        Mistake(
            "steps_always_plus_one",
            "one batch is added even when m divides evenly",
            "A partial batch only exists when m is not a multiple of batch_size: "
            "math.ceil(m / batch_size) gives exactly m / batch_size batches then.",
            compute=_steps(lambda m, bs: m // bs + 1),
        ),
        Mistake(
            "steps_one_epoch",
            "only one epoch is counted",
            "Every epoch goes through all the batches again: multiply by epochs.",
            compute=lambda m, bs, epochs: -(-m // bs),
        ),
        Mistake(
            "steps_per_example",
            "one step per example instead of one per batch",
            "fit takes a gradient step after each mini-batch, averaging the gradient over its "
            "examples, not after each example.",
            compute=lambda m, bs, epochs: m * epochs,
        ),
    )

    def cases(self, variant: str) -> list[Case]:
        names = ("m", "batch_size", "epochs")
        return [
            Case(
                "1000 examples in batches of 32 for 10 epochs: a partial last batch",
                (1000, 32, 10),
                3,
                arg_names=names,
            ),
            Case(
                "64 examples in batches of 32 for 3 epochs: no partial batch",
                (64, 32, 3),
                2,
                arg_names=names,
            ),
            Case(
                "5 examples, fewer than one batch of 32, for 4 epochs",
                (5, 32, 4),
                2,
                arg_names=names,
            ),
            Case(ROUNDS_UP, (1000, 64, 5), 2, arg_names=names),
            Case("200 examples in batches of 64 for 1 epoch", (200, 64, 1), 1, arg_names=names),
            Case("7 examples in batches of 1 for 2 epochs", (7, 1, 2), 1, arg_names=names),
        ]

    def expected(self, case: Case, variant: str) -> Any:
        return ref.gradient_steps(*case.args)

    def to_check(self, case: Case, verdict: Verdict, got: Any, expected: Any) -> CheckResult:
        check = super().to_check(case, verdict, got, expected)
        if check.status == "failed" and not check.hint:
            m, batch_size, epochs = case.args
            check.hint = (
                f"{m} examples in batches of {batch_size} make {m // batch_size} full "
                f"batch(es)"
                + (f" and one of {m % batch_size}" if m % batch_size else "")
                + f" per epoch; fit takes one step per batch, for each of the {epochs} "
                "epoch(s)."
            )
        return check

    def review(self, checks: list[CheckResult]) -> None:
        """A floor on every partial batch but the one at least half full is round()."""
        if not any(c.passed and c.name == ROUNDS_UP for c in checks):
            return
        for check in checks:
            if check.mistake == STEPS_FLOOR.id:
                check.mistake, check.hint = STEPS_ROUND.id, STEPS_ROUND.explanation
                check.message = check.message.replace(STEPS_FLOOR.title, STEPS_ROUND.title)
                check.details["mistake"] = STEPS_ROUND.title


SPECS: tuple[ExerciseSpec, ...] = (
    MyDenseSpec(),
    MyDenseVSpec(),
    MySequentialSpec(),
    GradientStepsSpec(),
)
