"""Reference Keras computations, run only in nntutor's own worker process.

Neither the grader (which never imports TensorFlow) nor the learner's child runs this:
:mod:`nntutor.core.keras_reference` starts ``python -c`` on :func:`main`, sends one request on
stdin and reads one answer on stdout (data-only wire encoding), then caches it.

Requests:
- ``{"op": "train_curves", "runs": [{"X", "y", "weights", "epochs", "seed"}, ...]}`` ->
  per run ``{"shuffled": [loss per epoch], "unshuffled": [...]}``: the reference model
  (Dense 25, 15, 1, sigmoid) from ``weights``, compiled with binary cross-entropy and
  Adam(0.001), fit with Keras's defaults (batch 32, shuffled with the seeded order), and
  once more with ``shuffle=False`` (a learner may pass it; both are correct).
- ``{"op": "sgd_curves", "runs": [{"X", "y", "weights", "alpha", "epochs"}, ...]}`` -> per
  run the loss per epoch of a sigmoid network of ``len(weights) // 2`` Dense layers trained
  by plain gradient descent: SGD(alpha), one batch of all m examples per epoch.
- ``{"op": "dense", "layers": [{"A", "W", "b", "activation"}, ...]}`` -> the output of a
  Keras ``Dense`` layer holding those weights, per layer (float64 inputs, float64 layer).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from nntutor.child import wire

UNITS = (25, 15, 1)


def _keras(seed: int) -> Any:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    return keras


def reference_model(keras: Any, n_features: int, weights: list[np.ndarray]) -> Any:
    """The track's 3-layer sigmoid network holding ``weights``, compiled as the course does."""
    model = keras.Sequential(
        [keras.Input(shape=(n_features,))]
        + [keras.layers.Dense(units, activation="sigmoid") for units in UNITS]
    )
    model.set_weights([np.asarray(w, dtype=np.float32) for w in weights])
    model.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
    )
    return model


def train_curve(run: dict[str, Any], shuffle: bool) -> list[float]:
    """Loss per epoch of the reference fit: re-seeded just before ``fit``, as the child does."""
    keras = _keras(int(run["seed"]))
    X = np.asarray(run["X"])
    model = reference_model(keras, X.shape[1], run["weights"])
    keras.utils.set_random_seed(int(run["seed"]))
    history = model.fit(
        X, np.asarray(run["y"]), epochs=int(run["epochs"]), shuffle=shuffle, verbose=0
    )
    return [float(v) for v in history.history["loss"]]


def train_curves(runs: list[dict[str, Any]]) -> list[dict[str, list[float]]]:
    return [
        {"shuffled": train_curve(run, True), "unshuffled": train_curve(run, False)} for run in runs
    ]


def sgd_curve(run: dict[str, Any]) -> list[float]:
    keras = _keras(0)
    X, weights = np.asarray(run["X"]), [np.asarray(w) for w in run["weights"]]
    model = keras.Sequential(
        [keras.Input(shape=(X.shape[1],))]
        + [keras.layers.Dense(W.shape[1], activation="sigmoid") for W in weights[::2]]
    )
    model.set_weights([w.astype(np.float32) for w in weights])
    model.compile(
        loss=keras.losses.BinaryCrossentropy(),
        optimizer=keras.optimizers.SGD(learning_rate=float(run["alpha"])),
    )
    # One full batch per epoch: each epoch of fit(batch_size=m, shuffle=False) is exactly one
    # train_on_batch step, which returns the same loss (measured before its update) and
    # skips fit's per-epoch machinery (2.8 s against 0.1 s for 60 steps).
    y = np.asarray(run["y"])
    return [float(model.train_on_batch(X, y)) for _ in range(int(run["epochs"]))]


def dense_outputs(layers: list[dict[str, Any]]) -> list[np.ndarray]:
    keras = _keras(0)
    outputs = []
    for layer in layers:
        W = np.asarray(layer["W"])
        dense = keras.layers.Dense(W.shape[1], activation=layer["activation"], dtype="float64")
        dense.build((None, W.shape[0]))
        dense.set_weights([W, np.asarray(layer["b"])])
        outputs.append(np.asarray(dense(np.atleast_2d(np.asarray(layer["A"])))))
    return outputs


def main() -> None:
    request = wire.loads(sys.stdin.buffer.readline())
    op = request["op"]
    if op == "train_curves":
        value: Any = train_curves(wire.decode(request["runs"]))
    elif op == "sgd_curves":
        value = [sgd_curve(run) for run in wire.decode(request["runs"])]
    elif op == "dense":
        value = dense_outputs(wire.decode(request["layers"]))
    else:
        raise ValueError(f"unknown request {op!r}")
    sys.stdout.buffer.write(wire.dumps({"op": "result", "value": wire.encode(value)}))
    sys.stdout.flush()
    # TensorFlow's thread pools can make interpreter shutdown slow; the answer is out.
    os._exit(0)
