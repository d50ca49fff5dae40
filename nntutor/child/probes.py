"""Keras values in and out of the child: build models the grader describes, describe results.

Keras objects cannot cross the wire, so the grader sends ``{"__make__": "model", "spec": ...}``
records that :func:`make` turns into a model here, and names a probe that :func:`probe` applies
to what the learner returned, giving plain data (layers, loss, optimizer, loss per epoch, and
what each ``fit`` call received: its data and the compile settings at that moment). The
grader judges that data. TensorFlow is imported inside the functions, only when a Keras
exercise runs.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import numpy as np

Emit = Callable[[dict[str, Any]], None]
_reporting_class: Any = None
# fit's data is sent back for the grader to compare; beyond this many values only its shape.
MAX_REPORTED_VALUES = 100_000
# A learner calling fit in a loop: the first calls say enough.
MAX_REPORTED_FITS = 5


def _keras() -> Any:
    import keras

    return keras


def deterministic(seed: int) -> None:
    """The same seed and deterministic kernels: two processes train bit-identically on CPU."""
    keras = _keras()
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def reporting_sequential() -> Any:
    """A ``Sequential`` whose ``fit`` reports each epoch's loss and starts from a fixed seed."""
    global _reporting_class
    if _reporting_class is not None:
        return _reporting_class
    keras = _keras()

    class EpochReporter(keras.callbacks.Callback):
        def __init__(self, emit: Emit) -> None:
            super().__init__()
            self.emit = emit

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            loss = (logs or {}).get("loss")
            self.emit(
                {
                    "kind": "epoch",
                    "epoch": epoch + 1,
                    "epochs": int(self.params.get("epochs") or 0),
                    "loss": float(loss) if loss is not None else None,
                }
            )

    class ReportingSequential(keras.Sequential):
        """The grader's model: the learner trains it with an ordinary ``fit`` call."""

        nntutor_emit: Emit | None = None
        nntutor_seed = 0
        nntutor_fits: tuple[dict[str, Any], ...] = ()

        def fit(self, *args: Any, callbacks: Any = None, **kwargs: Any) -> Any:
            if len(self.nntutor_fits) < MAX_REPORTED_FITS:
                # A tuple: Keras would wrap a list attribute in its own tracking list.
                self.nntutor_fits = (*self.nntutor_fits, describe_fit(self, args, kwargs))
            callbacks = list(callbacks or [])
            if self.nntutor_emit is not None:
                callbacks.append(EpochReporter(self.nntutor_emit))
            # Re-seeded here so the shuffling of batches matches the reference's fit.
            deterministic(self.nntutor_seed)
            return super().fit(*args, callbacks=callbacks, **kwargs)

    _reporting_class = ReportingSequential
    return ReportingSequential


def make(kind: str, spec: Any, emit: Emit) -> Any:
    """Build the value a ``{"__make__": kind, "spec": spec}`` argument record describes.

    ``model``: the reference architecture (Dense 25, 15, 1, sigmoid) on ``n_features``
    inputs, holding ``weights`` ``[W1, b1, W2, b2, W3, b3]``, compiled with binary
    cross-entropy and Adam(0.001) when ``compiled``; its ``fit`` seeds with ``seed``.
    """
    if kind != "model" or not isinstance(spec, dict):
        raise ValueError(f"nntutor cannot build a {kind!r}")
    keras = _keras()
    deterministic(int(spec.get("seed", 0)))
    model = reporting_sequential()(
        [keras.Input(shape=(int(spec["n_features"]),))]
        + [keras.layers.Dense(int(u), activation="sigmoid") for u in spec["units"]]
    )
    model.set_weights([np.asarray(w, dtype=np.float32) for w in spec["weights"]])
    model.nntutor_emit, model.nntutor_seed = emit, int(spec.get("seed", 0))
    if spec.get("compiled"):
        model.compile(
            loss=keras.losses.BinaryCrossentropy(),
            optimizer=keras.optimizers.Adam(learning_rate=0.001),
        )
    return model


def _type_name(value: Any) -> str:
    """The class to name to the learner: the grader's own model is a ``Sequential`` to them."""
    if _reporting_class is not None and isinstance(value, _reporting_class):
        return "Sequential"
    return type(value).__name__


def probe(name: str, value: Any, args: list[Any], emit: Emit) -> Any:
    """Plain data about ``value`` (and the call's first argument) for the grader to judge."""
    if name == "model":
        return describe_model_result(value, args)
    if name == "history":
        return describe_history_result(value, args)
    raise ValueError(f"no probe named {name!r}")


def describe_model_result(value: Any, args: list[Any]) -> dict[str, Any]:
    """``{"model": description or None, "type": ..., "argument": description or None}``."""
    keras = _keras()
    result: dict[str, Any] = {"type": _type_name(value), "model": None, "argument": None}
    if isinstance(value, keras.Model):
        result["model"] = describe_model(value)
    if args and isinstance(args[0], keras.Model):
        result["argument"] = describe_model(args[0])
        result["same_object"] = value is args[0]
    return result


def describe_model(model: Any) -> dict[str, Any]:
    """Layers (type, units, activation), input size, and what compile set, as data."""
    layers = []
    for layer in model.layers:
        activation = getattr(layer, "activation", None)
        layers.append(
            {
                "type": type(layer).__name__,
                "units": getattr(layer, "units", None),
                "activation": getattr(activation, "__name__", None) if activation else None,
            }
        )
    return {
        "class": _type_name(model),
        "layers": layers,
        "input_size": _input_size(model),
        "compiled": bool(getattr(model, "compiled", False)),
        "loss": _describe_loss(getattr(model, "loss", None)),
        "optimizer": _describe_optimizer(getattr(model, "optimizer", None)),
    }


def _input_size(model: Any) -> int | None:
    try:
        shape = model.inputs[0].shape
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    size = shape[-1] if len(shape) else None
    return int(size) if size is not None else None


def _describe_loss(loss: Any) -> dict[str, Any] | None:
    if loss is None:
        return None
    if isinstance(loss, str):
        return {"kind": "string", "name": loss, "from_logits": False}
    if isinstance(loss, list | tuple | dict):
        return {"kind": "several", "name": type(loss).__name__, "from_logits": False}
    config: dict[str, Any] = {}
    get_config = getattr(loss, "get_config", None)
    if callable(get_config):
        try:
            config = dict(get_config())
        except Exception:  # a custom loss may not serialise: its class still says enough
            config = {}
    kind = "function" if isinstance(loss, types.FunctionType) else "object"
    return {
        "kind": kind,
        "class": type(loss).__name__ if kind == "object" else None,
        "name": config.get("name") or getattr(loss, "__name__", type(loss).__name__),
        "from_logits": bool(config.get("from_logits", False)),
    }


def _describe_optimizer(optimizer: Any) -> dict[str, Any] | None:
    if optimizer is None:
        return None
    rate = getattr(optimizer, "learning_rate", None)
    try:
        # Keras keeps it in float32: 0.01 is 0.009999999776..., shown as the 0.01 it was.
        learning_rate = float(str(np.float32(np.asarray(rate)))) if rate is not None else None
    except (TypeError, ValueError):
        learning_rate = None  # a schedule, not a number
    return {"class": type(optimizer).__name__, "learning_rate": learning_rate}


def describe_history_result(value: Any, args: list[Any]) -> dict[str, Any]:
    """The loss per epoch and fit's parameters, from a History or what was returned instead."""
    keras = _keras()
    result: dict[str, Any] = {
        "type": _type_name(value),
        "returned_model": isinstance(value, keras.Model),
        "history": None,
        "model_history": None,
    }
    if isinstance(value, keras.callbacks.History):
        result["history"] = _describe_history(value)
    elif isinstance(value, dict):
        result["returned_dict_keys"] = sorted(str(k) for k in value)[:10]
    result["fits"] = list(getattr(args[0], "nntutor_fits", ())) if args else []
    model_history = getattr(args[0], "history", None) if args else None
    if isinstance(model_history, keras.callbacks.History):
        result["model_history"] = _describe_history(model_history)
    return result


def describe_fit(model: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What one ``fit`` call received: x, y, batch size, epochs, validation split, and the
    loss and optimizer the model had at that moment (the learner may have recompiled it)."""
    try:
        given = inspect.signature(_keras().Model.fit).bind(model, *args, **kwargs).arguments
    except TypeError:
        given = {}  # fit itself will raise and tell the learner why
    return {
        "x": _describe_data(given.get("x")),
        "y": _describe_data(given.get("y")),
        "batch_size": _plain_number(given.get("batch_size")),
        "epochs": _plain_number(given.get("epochs", 1)),
        "validation_split": _plain_number(given.get("validation_split", 0.0)),
        "loss": _describe_loss(getattr(model, "loss", None)),
        "optimizer": _describe_optimizer(getattr(model, "optimizer", None)),
    }


def _describe_data(value: Any) -> dict[str, Any] | None:
    """``{"type", "shape", "values"}``: the array itself when numeric and small enough."""
    if value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:  # a generator or a dataset: its type is all there is to say
        return {"type": type(value).__name__, "shape": None, "values": None}
    numeric = array.dtype.kind in "biuf" and array.size <= MAX_REPORTED_VALUES
    return {
        "type": type(value).__name__,
        "shape": list(array.shape) if array.dtype.kind != "O" else None,
        "values": array if numeric else None,
    }


def _plain_number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return None
    return value.item() if isinstance(value, np.number) else value


def _describe_history(history: Any) -> dict[str, Any]:
    losses = [float(v) for v in history.history.get("loss", [])]
    params = dict(getattr(history, "params", None) or {})
    return {
        "loss": losses,
        "epochs": params.get("epochs"),
        "steps": params.get("steps"),
    }
