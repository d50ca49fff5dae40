"""Reference forward passes of Dense layers in NumPy, and the count of gradient steps.

Shapes follow the course and Keras: ``W`` is ``(n_in, units)`` (column ``j`` = unit ``j``),
``b`` is ``(units,)``; one example ``a_in`` is ``(n_in,)``, many examples ``A_in`` are
``(m, n_in)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from nntutor.reference.logistic import sigmoid

Activation = Callable[[np.ndarray], np.ndarray]


def my_dense(a_in: np.ndarray, W: np.ndarray, b: np.ndarray, g: Activation) -> np.ndarray:
    """Activations of one Dense layer for one example: ``g(a_in @ W + b)``, shape (units,)."""
    return np.asarray(g(a_in @ W + b))


def my_dense_v(A_in: np.ndarray, W: np.ndarray, b: np.ndarray, g: Activation) -> np.ndarray:
    """The same layer for m examples at once: shape (m, units)."""
    return np.asarray(g(A_in @ W + b))


def my_sequential(
    x: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
    W3: np.ndarray,
    b3: np.ndarray,
) -> np.ndarray:
    """Forward pass of a 3-layer sigmoid network for one example: shape (1,)."""
    a1 = my_dense(x, W1, b1, sigmoid)
    a2 = my_dense(a1, W2, b2, sigmoid)
    return my_dense(a2, W3, b3, sigmoid)


def gradient_steps(m: int, batch_size: int, epochs: int) -> int:
    """Parameter updates of ``fit``: one per mini-batch, a partial last batch included."""
    return epochs * math.ceil(m / batch_size)


def glorot_weights(seed: int, sizes: tuple[int, ...]) -> list[np.ndarray]:
    """Initial ``[W1, b1, W2, b2, ...]`` for layers of ``sizes`` (input size first).

    Keras's default initialisation (Glorot uniform weights, zero biases), drawn with NumPy
    so the grader can hand the very same numbers to the learner's model and the reference.
    """
    rng = np.random.default_rng(seed)
    weights: list[np.ndarray] = []
    for n_in, units in itertools.pairwise(sizes):
        limit = math.sqrt(6.0 / (n_in + units))
        weights.append(rng.uniform(-limit, limit, size=(n_in, units)).astype(np.float32))
        weights.append(np.zeros(units, dtype=np.float32))
    return weights
