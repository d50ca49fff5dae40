"""Grading specs of the Keras steps: specify the model, compile it, fit it.

These run in the "keras" child. Keras objects never reach the grader: the child builds the
grader's models from ``{"__make__": "model"}`` records and describes what the learner returned
through a probe (:mod:`nntutor.child.probes`); the judging below works on that plain data.
Reference loss curves come from nntutor's own worker (:mod:`nntutor.core.keras_reference`).
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import Future
from typing import Any

import numpy as np

from nntutor.core import data, keras_reference
from nntutor.core.compare import Tolerance, compare
from nntutor.core.fit_data import Relation, relate
from nntutor.core.results import CheckResult, Curve
from nntutor.core.runner import CallOutcome
from nntutor.core.spec import Case, ExerciseSpec, Graded, Mistake, error_check, reference_failure
from nntutor.reference.network import glorot_weights

UNITS = (25, 15, 1)
ARCHITECTURE = "Dense(25, sigmoid), Dense(15, sigmoid), Dense(1, sigmoid)"
PROBABILITY_LOSSES = ("binary_crossentropy", "BinaryCrossentropy")
SQUARED_LOSSES = ("mean_squared_error", "mse", "MeanSquaredError")
# Learner and reference run the same float32 ops from the same weights and seed, so the
# curves agree to the last bit on one machine; this tolerance leaves room for float32
# rounding of a different kernel order, while one wrong step changes the loss by ~1e-3.
CURVE_TOLERANCE = Tolerance(rtol=1e-4, atol=1e-6)
KERAS_BATCH = 32


def _check(
    name: str,
    ok: bool,
    points: float,
    message: str = "",
    hint: str = "",
    mistake: str | None = None,
    details: dict[str, Any] | None = None,
) -> CheckResult:
    if ok:
        return CheckResult(name, "passed", points, points, details=details or {})
    return CheckResult(
        name, "failed", 0.0, points, message, hint, "visible", details or {}, mistake
    )


def _not_checked(name: str, points: float, why: str) -> CheckResult:
    return CheckResult(name, "failed", 0.0, points, f"Not checked: {why}.")


def _names(layers: list[dict[str, Any]], key: str) -> tuple[Any, ...]:
    return tuple(layer.get(key) for layer in layers)


# -- the mistakes named (registered on the specs, so that gradebooks show their titles) --

WRONG_UNITS = Mistake(
    "keras_wrong_units",
    "the layers have the wrong numbers of units",
    "The first argument of Dense is its number of units. The last layer has 1 unit "
    "because the network gives one probability per example.",
)
RELU_OUTPUT = Mistake(
    "keras_relu_output",
    "the output layer is not a sigmoid, so it gives no probability",
    "Give the last layer activation='sigmoid', so that it outputs a "
    "probability between 0 and 1, exactly like logistic regression.",
)
HIDDEN_ACTIVATION = Mistake(
    "keras_hidden_activation",
    "a hidden layer does not use the sigmoid activation",
    "Pass activation='sigmoid' to each Dense layer.",
)
NEVER_COMPILED = Mistake(
    "keras_never_compiled",
    "the model is never compiled",
    "Compiling is step 2 of the three: it tells Keras which cost to minimise "
    "and with which algorithm. Without it, fit has nothing to minimise.",
)
MSE_LOSS = Mistake(
    "keras_mse_loss",
    "mean squared error instead of binary cross-entropy",
    "Mean squared error is the loss of linear regression. With a sigmoid output it "
    "makes the cost non-convex and its gradient vanishes when the prediction is "
    "confidently wrong; binary cross-entropy is the logistic loss of the course.",
)
FROM_LOGITS = Mistake(
    "keras_from_logits",
    "from_logits=True on a model whose output is already a sigmoid",
    "from_logits=True is for a linear output layer (the logits z). With "
    "activation='sigmoid' in the last layer, keep the default from_logits=False.",
)
WRONG_DATA = Mistake(
    "train_wrong_data",
    "fit trains on other data than the X and y given, or in other batches",
    "Train on the X and y you are given, whole, with fit's default batch size of 32.",
)
RETURNS_HISTORY_DICT = Mistake(
    "train_returns_history_dict",
    "train_model returns history.history, the dict, not the History",
    "Return what model.fit(...) returns, the History object itself.",
)
RETURNS_NO_HISTORY = Mistake(
    "train_returns_no_history",
    "train_model does not return the History that fit gives",
    "Return what model.fit(...) returns: its .history['loss'] is the loss per epoch.",
)
PART_OF_DATA = Mistake(
    "train_part_of_data",
    "fit trains on only part of X and y",
    "Every example given is part of the training set: model.fit(X, y, epochs=epochs). "
    "Holding examples back (a slice, validation_split) changes the batches and the model.",
)
RESCALED_DATA = Mistake(
    "train_rescaled_data",
    "fit trains on rescaled or transformed data, not on X and y as given",
    "X arrives ready to train on (already normalised). Preparing the data is a step of "
    "its own; train_model passes X and y to fit unchanged. Other values give other "
    "gradients, so another loss curve.",
)
RECOMPILED_LOSS = Mistake(
    "train_recompiled_loss",
    "train_model recompiles the model with another loss",
    "The model arrives compiled with binary cross-entropy (that was step 2). train_model "
    "only calls fit: compiling again replaces the cost that gradient descent minimises.",
)
RECOMPILED_OPTIMIZER = Mistake(
    "train_recompiled_optimizer",
    "train_model changes the optimizer or its learning rate before fit",
    "The model arrives compiled with Adam(learning_rate=0.001). Compiling again, or "
    "setting a new learning rate, changes every step gradient descent takes, so the loss "
    "curve is another one. train_model only calls fit.",
)
ONE_EPOCH = Mistake(
    "train_one_epoch",
    "the model is trained for one epoch, not for the epochs asked for",
    "An epoch is one pass over the whole training set; the caller chooses how many.",
)


# -- step 1: build_model ----------------------------------------------------------------

STANDARD, TOPLEVEL = "standard", "toplevel"
STRUCTURE_POINTS = {
    "returns a Keras model": 1.0,
    "three layers": 1.0,
    "every layer is Dense": 1.0,
    "units 25, 15 and 1": 2.0,
    "sigmoid activations": 2.0,
    "not compiled yet": 1.0,
}
# A top-level model has one input size to check; the function form checks two (2 and 5).
TOPLEVEL_INPUT_POINTS = 2.0


class BuildModelSpec(ExerciseSpec):
    exercise_id, function, session = "build_model", "build_model", "keras"
    mutation_points = 0.0
    mistakes = (WRONG_UNITS, RELU_OUTPUT, HIDDEN_ACTIVATION)

    def variant(self, info: dict[str, Any]) -> tuple[str, str | None]:
        """A model written at the top level of a notebook comes with its own input size."""
        described = info.get("variant")
        if isinstance(described, dict) and described.get("kind") == "toplevel":
            size = described.get("input_size")
            variant = f"{TOPLEVEL}:{int(size)}" if isinstance(size, int) else f"{TOPLEVEL}:"
            return variant, described.get("note")
        return STANDARD, None

    def cases(self, variant: str) -> list[Case]:
        names = ("n_features",)
        if variant.startswith(TOPLEVEL):
            size = variant.partition(":")[2]
            n = int(size) if size else None
            # Worth what the function form is, so every learner is graded out of the same.
            points = sum(STRUCTURE_POINTS.values()) + TOPLEVEL_INPUT_POINTS
            return [Case("your model", (n or 2,), points, arg_names=names, extra={"input_size": n})]
        return [
            Case(
                "the structure of build_model(2)",
                (2,),
                sum(STRUCTURE_POINTS.values()) + 1.0,
                arg_names=names,
                extra={"input_size": 2, "structure": True},
            ),
            Case(
                "build_model(5) takes 5 features",
                (5,),
                1.0,
                arg_names=names,
                extra={"input_size": 5},
            ),
        ]

    def expected(self, case: Case, variant: str) -> Any:
        return {"units": UNITS, "activation": "sigmoid", "input_size": case.extra["input_size"]}

    def probe(self, variant: str) -> str | None:
        return "model"

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        got = outcome.value if isinstance(outcome.value, dict) else {}
        model = got.get("model")
        toplevel = variant.startswith(TOPLEVEL)
        structure = case.extra.get("structure") or toplevel
        checks = self._structure(model, got.get("type", "?")) if structure else []
        size = case.extra["input_size"]
        label = f"input size {size}" if size is not None else "says its input size"
        points = TOPLEVEL_INPUT_POINTS if toplevel else 1.0
        checks.append(self._input_size(model, size, label if structure else case.name, points))
        return Graded(checks)

    def _structure(self, model: dict[str, Any] | None, returned: str) -> list[CheckResult]:
        points = STRUCTURE_POINTS
        if model is None:
            message = f"build_model should return the Sequential model; it returned a {returned}"
            if returned == "NoneType":
                message = "build_model returned None — is `return model` missing?"
            return [
                _check("returns a Keras model", False, points["returns a Keras model"], message)
            ] + [
                _not_checked(name, p, "no model was returned")
                for name, p in points.items()
                if name != "returns a Keras model"
            ]
        layers = model["layers"]
        types, units = _names(layers, "type"), _names(layers, "units")
        activations = _names(layers, "activation")
        listing = (
            ", ".join(f"{t}({u}, {a})" for t, u, a in zip(types, units, activations, strict=True))
            or "no layers"
        )
        checks = [_check("returns a Keras model", True, points["returns a Keras model"])]
        checks.append(
            _check(
                "three layers",
                len(layers) == 3,
                points["three layers"],
                f"The model has {len(layers)} layer(s): {listing}. Expected three: {ARCHITECTURE} "
                "(the Input is not a layer).",
            )
        )
        checks.append(
            _check(
                "every layer is Dense",
                all(t == "Dense" for t in types),
                points["every layer is Dense"],
                f"The layers are {', '.join(map(str, types))}; this network is made of Dense "
                "layers only: every unit sees every output of the layer before.",
            )
        )
        checks.append(
            _check(
                "units 25, 15 and 1",
                units == UNITS,
                points["units 25, 15 and 1"],
                f"The layers have {', '.join(map(str, units))} units; expected 25, 15 and 1, in "
                "that order.",
                WRONG_UNITS.explanation,
                WRONG_UNITS.id if len(layers) == 3 else None,
            )
        )
        checks.append(self._activations(activations))
        checks.append(
            _check(
                "not compiled yet",
                not model["compiled"],
                points["not compiled yet"],
                "build_model already compiled the model: only build it here. Choosing the loss "
                "and the optimizer is the next step, compile_model.",
            )
        )
        return checks

    def _activations(self, activations: tuple[Any, ...]) -> CheckResult:
        points = STRUCTURE_POINTS["sigmoid activations"]
        if all(a == "sigmoid" for a in activations) and activations:
            return _check("sigmoid activations", True, points)
        output = activations[-1] if activations else None
        if output != "sigmoid":
            return _check(
                "sigmoid activations",
                False,
                points,
                f"The output layer uses the {output} activation, so its output is not kept "
                "between 0 and 1 (relu gives 0 or any positive number, linear any number). "
                "Binary cross-entropy, the loss of the next step, needs a probability: it "
                "takes log(f) and log(1 - f).",
                RELU_OUTPUT.explanation,
                RELU_OUTPUT.id,
            )
        return _check(
            "sigmoid activations",
            False,
            points,
            f"The activations are {', '.join(map(str, activations))}; every layer of this "
            "network uses sigmoid, as in the lecture.",
            HIDDEN_ACTIVATION.explanation,
            HIDDEN_ACTIVATION.id,
        )

    def _input_size(
        self, model: dict[str, Any] | None, size: int | None, label: str, points: float
    ) -> CheckResult:
        """The model's input size is ``size`` (None: any size, as long as it has one)."""
        if model is None:
            return _not_checked(label, points, "no model was returned")
        got = model.get("input_size")
        message = (
            "The model does not say how many features it takes: start the list with "
            "tf.keras.Input(shape=(n_features,))."
            if got is None
            else f"The model takes {got} features, expected {size}: use the n_features "
            "argument in Input(shape=(n_features,)) rather than a fixed number."
        )
        right = got == size if size is not None else got is not None
        return _check(label, right, points, message, details={"input_size": got})


# -- step 2: compile_model --------------------------------------------------------------


def _model_record(n_features: int, seed: int, compiled: bool) -> dict[str, Any]:
    """An argument the child turns into the reference architecture with seeded weights."""
    return {
        "__make__": "model",
        "spec": {
            "n_features": n_features,
            "units": list(UNITS),
            "weights": glorot_weights(seed, (n_features, *UNITS)),
            "seed": seed,
            "compiled": compiled,
        },
    }


COMPILE_POINTS = {
    "returns the compiled model": 1.0,
    "the loss is binary cross-entropy": 2.0,
    "from_logits matches the sigmoid output": 1.0,
    "the optimizer is Adam": 1.0,
    "learning rate 0.001": 1.0,
}


class CompileModelSpec(ExerciseSpec):
    exercise_id, function, session = "compile_model", "compile_model", "keras"
    mutation_points = 0.0
    mistakes = (NEVER_COMPILED, MSE_LOSS, FROM_LOGITS)

    def cases(self, variant: str) -> list[Case]:
        return [
            Case(
                "compiling a 2-25-15-1 sigmoid model",
                (2,),
                sum(COMPILE_POINTS.values()),
                seed=1201,
                arg_names=("model",),
            )
        ]

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        return (_model_record(case.args[0], case.seed or 0, compiled=False),)

    def expected(self, case: Case, variant: str) -> Any:
        return {
            "loss": "binary_crossentropy",
            "from_logits": False,
            "optimizer": "Adam",
            "learning_rate": 0.001,
        }

    def probe(self, variant: str) -> str | None:
        return "model"

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        got = outcome.value if isinstance(outcome.value, dict) else {}
        returned, argument = got.get("model"), got.get("argument")
        points = COMPILE_POINTS
        compiled = next((m for m in (returned, argument) if m and m["compiled"]), None)
        if compiled is None:
            return Graded(
                [
                    _check(
                        "returns the compiled model",
                        False,
                        points["returns the compiled model"],
                        "The model was never compiled: compile_model must call "
                        "model.compile(loss=..., optimizer=...) on it.",
                        NEVER_COMPILED.explanation,
                        NEVER_COMPILED.id,
                    )
                ]
                + [
                    _not_checked(n, p, "the model was not compiled")
                    for n, p in points.items()
                    if n != "returns the compiled model"
                ]
            )
        if returned is None:
            returns = _check(
                "returns the compiled model",
                False,
                points["returns the compiled model"],
                f"Your function compiled the model but returned {got.get('type', '?')}: end "
                "it with `return model`.",
            )
        else:
            returns = _check(
                "returns the compiled model", True, points["returns the compiled model"]
            )
        return Graded([returns, *self._settings(compiled)])

    def _settings(self, model: dict[str, Any]) -> list[CheckResult]:
        points = COMPILE_POINTS
        loss = model.get("loss") or {}
        names = {loss.get("name"), loss.get("class")}
        is_bce = bool(names & set(PROBABILITY_LOSSES))
        mse = bool(names & set(SQUARED_LOSSES))
        shown = loss.get("class") or loss.get("name")
        loss_check = _check(
            "the loss is binary cross-entropy",
            is_bce,
            points["the loss is binary cross-entropy"],
            f"The loss is {shown}; a network that outputs the probability of y = 1 is trained "
            "with binary cross-entropy: loss=BinaryCrossentropy() (or 'binary_crossentropy').",
            MSE_LOSS.explanation if mse else "",
            MSE_LOSS.id if mse else None,
            {"loss": shown},
        )
        logits_check = _check(
            "from_logits matches the sigmoid output",
            not loss.get("from_logits"),
            points["from_logits matches the sigmoid output"],
            "The loss was created with from_logits=True, but the output layer already applies "
            "a sigmoid: Keras would apply a second sigmoid inside the loss, and the model "
            "would be trained on the wrong cost.",
            FROM_LOGITS.explanation,
            FROM_LOGITS.id,
        )
        optimizer = model.get("optimizer") or {}
        adam = optimizer.get("class") == "Adam"
        rate = optimizer.get("learning_rate")
        # Keras keeps the rate in float32: six digits show the rate the learner wrote.
        shown_rate = "not a number (a schedule?)" if rate is None else f"{rate:.6g}"
        return [
            loss_check,
            logits_check,
            _check(
                "the optimizer is Adam",
                adam,
                points["the optimizer is Adam"],
                f"The optimizer is {optimizer.get('class')}; use "
                "tf.keras.optimizers.Adam(learning_rate=0.001).",
            ),
            _check(
                "learning rate 0.001",
                rate is not None and math.isclose(rate, 0.001, rel_tol=1e-6),
                points["learning rate 0.001"],
                f"The learning rate is {shown_rate}, expected 0.001: Adam(learning_rate=0.001).",
            ),
        ]


# -- step 3: train_model ----------------------------------------------------------------

TRAIN_RUNS = (
    # name, seed, m, epochs, points
    ("128 roasts, 8 epochs (4 batches of 32 each)", 1301, 128, 8, 5.0),
    ("100 roasts, 3 epochs (a last batch of 4)", 1302, 100, 3, 4.0),
)
TRAIN_POINTS = {"history": 1.0, "epochs": 1.0, "batches": 1.0}


class TrainModelSpec(ExerciseSpec):
    exercise_id, function, session = "train_model", "train_model", "keras"
    mutation_points = 0.0
    mistakes = (
        WRONG_DATA,
        PART_OF_DATA,
        RESCALED_DATA,
        RECOMPILED_LOSS,
        RECOMPILED_OPTIMIZER,
        RETURNS_HISTORY_DICT,
        RETURNS_NO_HISTORY,
        ONE_EPOCH,
    )
    tolerance = CURVE_TOLERANCE

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reference: Future[Any] | None = None

    def cases(self, variant: str) -> list[Case]:
        cases = []
        for name, seed, m, epochs, points in TRAIN_RUNS:
            X, y = data.roast_quality(seed, m)
            cases.append(
                Case(name, (X, y, epochs), points, seed=seed, arg_names=("X", "y", "epochs"))
            )
        return cases

    def call_args(self, case: Case, variant: str) -> tuple[Any, ...]:
        self._curves()  # the reference worker trains while the learner's child does
        X, y, epochs = case.args
        return (_model_record(X.shape[1], case.seed or 0, compiled=True), X, y, epochs)

    def _curves(self) -> Future[Any]:
        with self._lock:
            if self._reference is None:
                runs = []
                for case in self.cases(STANDARD):
                    X, y, epochs = case.args
                    seed = case.seed or 0
                    weights = glorot_weights(seed, (X.shape[1], *UNITS))
                    runs.append(
                        {"X": X, "y": y, "weights": weights, "epochs": epochs, "seed": seed}
                    )
                request = {"op": "train_curves", "runs": runs}
                self._reference = keras_reference.compute_later(request)
                self._reference.add_done_callback(self._forget_failure)
            return self._reference

    def _forget_failure(self, future: Future[Any]) -> None:
        if future.exception() is not None:
            with self._lock:
                self._reference = None  # try again at the next grading

    def expected(self, case: Case, variant: str) -> dict[str, list[float]]:
        index = [c.seed for c in self.cases(variant)].index(case.seed)
        return self._curves().result(timeout=keras_reference.WORKER_TIMEOUT)[index]

    def probe(self, variant: str) -> str | None:
        return "history"

    def judge(self, case: Case, outcome: CallOutcome, variant: str) -> Graded:
        if outcome.error is not None:
            return Graded([error_check(case, outcome)])
        try:
            reference = self.expected(case, variant)
        except Exception as exc:  # the worker's failure is nntutor's, not the learner's
            return reference_failure(case, "its reference training curve", exc)
        got = outcome.value if isinstance(outcome.value, dict) else {}
        epochs = case.args[2]
        history = got.get("history") or got.get("model_history")
        checks = [self._returns(got, case)]
        share = case.points - sum(TRAIN_POINTS.values())
        if history is None:
            checks += [
                _not_checked(f"{case.name}: {what}", points, "the model was never trained")
                for what, points in (("epochs", 1.0), ("batches", 1.0), ("loss curve", share))
            ]
            return Graded(checks)
        losses = history.get("loss") or []
        checks.append(self._epochs(case, len(losses), epochs))
        fits = [f for f in got.get("fits") or [] if isinstance(f, dict)]
        checks.append(self._data(case, fits, history.get("steps")))
        curve_check, matched = self._curve(case, losses, reference, share, fits)
        checks.append(curve_check)
        curve = Curve(learner=losses, reference=matched, label="loss per epoch")
        return Graded(checks, curve)

    def _data(self, case: Case, fits: list[dict[str, Any]], steps: Any) -> CheckResult:
        """fit saw X and y whole, in batches of 32: named from what each fit call received."""
        X, y, _ = case.args
        name, points = f"{case.name}: trains on all of X and y", TRAIN_POINTS["batches"]
        batches = math.ceil(X.shape[0] / KERAS_BATCH)
        details = {"steps": steps, "expected_steps": batches}
        for fit in fits:
            problem = _data_problem(fit, X, y)
            if problem is not None:
                message, mistake = problem
                return _check(
                    name, False, points, message, mistake.explanation, mistake.id, details
                )
        return _check(
            name,
            steps in (None, batches),
            points,
            f"fit ran {steps} batches per epoch; with the {X.shape[0]} examples of X and "
            f"Keras's default batch size of {KERAS_BATCH} it makes {batches}. Train on the X "
            "and y you are given, whole, with fit's default batch size.",
            mistake=WRONG_DATA.id,
            details=details,
        )

    def _returns(self, got: dict[str, Any], case: Case) -> CheckResult:
        name = f"{case.name}: returns the History"
        if got.get("history") is not None:
            return _check(name, True, TRAIN_POINTS["history"])
        if got.get("returned_dict_keys") is not None:
            message = (
                "train_model returned history.history, the dict; return the History object "
                "itself, what model.fit(...) returns."
            )
            mistake = RETURNS_HISTORY_DICT.id
        else:
            returned = got.get("type", "?")
            shown = f"a {returned}"
            if got.get("returned_model"):
                shown = f"the {returned} model itself, not the History"
            elif returned == "NoneType":
                shown = "None"
            message = (
                f"train_model returned {shown}; return what model.fit(...) returns, the "
                "History (its .history['loss'] is the loss per epoch)."
            )
            mistake = RETURNS_NO_HISTORY.id
        return _check(name, False, TRAIN_POINTS["history"], message, mistake=mistake)

    def _epochs(self, case: Case, ran: int, epochs: int) -> CheckResult:
        one = ran == 1 and epochs > 1
        return _check(
            f"{case.name}: {epochs} epochs",
            ran == epochs,
            TRAIN_POINTS["epochs"],
            f"fit ran {ran} epoch(s), expected {epochs}: pass the function's argument, "
            "model.fit(X, y, epochs=epochs)."
            + (
                " With one epoch, every example is seen once and the model has barely "
                "started to learn."
                if one
                else ""
            ),
            ONE_EPOCH.explanation,
            ONE_EPOCH.id if one else None,
            {"epochs_run": ran, "epochs_expected": epochs},
        )

    def _curve(
        self,
        case: Case,
        losses: list[float],
        reference: dict[str, list[float]],
        points: float,
        fits: list[dict[str, Any]],
    ) -> tuple[CheckResult, list[float]]:
        name = f"{case.name}: loss per epoch matches the reference"
        got = np.asarray(losses, dtype=float)
        verdicts = {
            order: compare(np.asarray(curve), got, CURVE_TOLERANCE, "the loss per epoch")
            for order, curve in reference.items()
        }
        order = next((o for o, v in verdicts.items() if v.ok), "shuffled")
        verdict = verdicts[order]
        details = {"tolerance": CURVE_TOLERANCE.describe(), "batch_order": order}
        if verdict.ok:
            return _check(name, True, points, details=details), reference[order]
        message = (
            f"{verdict.message}\nBoth models started from the same weights and the same "
            "random seed, so a correct fit gives the reference's losses to float32 precision "
            f"({CURVE_TOLERANCE.describe()})."
        )
        if len(losses) != len(reference[order]):
            message = (
                f"fit recorded {len(losses)} loss value(s), one per epoch it ran; the "
                f"reference has {len(reference[order])}: see the epochs check."
            )
        X, y, _ = case.args
        if any(_data_problem(fit, X, y) for fit in fits):
            message += (
                "\nfit was not called on X and y whole with the default batch size: see "
                "the check 'trains on all of X and y'."
            )
        cause = next((c for c in map(_compile_problem, fits) if c is not None), None)
        if cause is None:
            return _check(name, False, points, message, details=details), reference[order]
        because, mistake = cause
        return (
            _check(
                name,
                False,
                points,
                f"{because}\n{message}",
                mistake.explanation,
                mistake.id,
                details,
            ),
            reference[order],
        )


def _data_problem(fit: dict[str, Any], X: np.ndarray, y: np.ndarray) -> tuple[str, Mistake] | None:
    """What was wrong with the data one fit call received, in the learner's terms."""
    m = X.shape[0]
    split = fit.get("validation_split") or 0.0
    if split > 0:
        kept = math.floor(m * (1.0 - split))  # where Keras splits: the first rows train
        return (
            f"fit was called with validation_split={split:g}: Keras keeps the last "
            f"{split:.0%} of X and y out of training, so the model trained on {kept} of the "
            f"{m} examples.",
            PART_OF_DATA,
        )
    for label, given in (("X", X), ("y", y)):
        described = fit.get(label.lower())
        if not isinstance(described, dict) or described.get("values") is None:
            continue  # no array to compare (a dataset, a generator): the curve still judges
        relation = relate(given, np.asarray(described["values"]))
        if relation.kind != "same":
            return _relation_message(label, given, relation)
    batch_size = fit.get("batch_size")
    # A batch size fit refuses raised an error before any epoch; nothing to name here.
    if isinstance(batch_size, int) and batch_size > 0 and batch_size != KERAS_BATCH:
        return (
            f"fit was called with batch_size={batch_size}: that makes "
            f"{math.ceil(m / batch_size)} batches of the {m} examples per epoch, where the "
            f"default of {KERAS_BATCH} makes {math.ceil(m / KERAS_BATCH)}, so other steps of "
            "gradient descent.",
            WRONG_DATA,
        )
    return None


def _relation_message(label: str, given: np.ndarray, relation: Relation) -> tuple[str, Mistake]:
    """The message that names what was done to ``given`` before fit received it."""
    m = given.shape[0]
    if relation.kind == "part":
        taken = (
            f"{label}[{relation.start}:{relation.stop}]"
            if relation.start is not None
            else f"{relation.rows} rows picked from {label}"
        )
        return (
            f"fit trained on {taken}: {relation.rows} of the {m} examples given. The "
            "examples left out are never learned from, and each epoch makes other batches "
            f"than the {math.ceil(m / KERAS_BATCH)} batches of the whole set.",
            PART_OF_DATA,
        )
    if relation.kind == "scaled":
        factor = relation.factor or 1.0
        divisor = round(1 / factor)
        shown = (
            f"{label} / {divisor}"
            if abs(divisor) > 1 and math.isclose(1 / factor, divisor, rel_tol=1e-4)
            else f"{label} * {factor:.4g}"
        )
        return (
            f"fit trained on {shown}, not on {label}: every value was multiplied by "
            f"{factor:.4g}, so the network saw other inputs than the ones given.",
            RESCALED_DATA,
        )
    if relation.kind == "transformed" and label == "y":
        return (
            "fit trained on labels computed from y (such as 1 - y), not on y: the labels "
            "are the 0s and 1s given, 1 for a good roast.",
            RESCALED_DATA,
        )
    if relation.kind == "transformed":
        return (
            f"fit trained on a transformed {label}: each column was shifted and rescaled "
            f"(normalised again?). {label} is given ready to train on; pass it unchanged.",
            RESCALED_DATA,
        )
    if relation.kind == "reordered":
        return (
            f"fit trained on the rows of {label} in another order. Keras shuffles the "
            "examples itself, from nntutor's seed; a reordered copy makes other batches. "
            f"Pass {label} as given.",
            WRONG_DATA,
        )
    return (
        f"fit trained on a {label} of shape {relation.shape} with other values than the "
        f"{label} given (shape {given.shape}).",
        WRONG_DATA,
    )


def _compile_problem(fit: dict[str, Any]) -> tuple[str, Mistake] | None:
    """The loss or optimizer fit ran with, when it is not what the model was handed in with."""
    loss = fit.get("loss") or {}
    names = {loss.get("name"), loss.get("class")}
    if not names & set(PROBABILITY_LOSSES) or loss.get("from_logits"):
        shown = loss.get("class") or loss.get("name")
        logits = " with from_logits=True" if loss.get("from_logits") else ""
        return (
            f"When fit ran, the model's loss was {shown}{logits}; the model you were given "
            "was compiled with binary cross-entropy, so train_model compiled it again.",
            RECOMPILED_LOSS,
        )
    optimizer = fit.get("optimizer") or {}
    rate = optimizer.get("learning_rate")
    if optimizer.get("class") != "Adam" or rate is None or not math.isclose(rate, 0.001):
        shown_rate = "a schedule" if rate is None else f"{rate:.6g}"
        return (
            f"When fit ran, the optimizer was {optimizer.get('class')} with learning rate "
            f"{shown_rate}; the model you were given was compiled with Adam and learning "
            "rate 0.001.",
            RECOMPILED_OPTIMIZER,
        )
    return None


SPECS: tuple[ExerciseSpec, ...] = (BuildModelSpec(), CompileModelSpec(), TrainModelSpec())
