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


def train_two_layer(
    X: np.ndarray,
    y: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
    alpha: float,
    num_iters: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """Full-batch gradient descent on a sigmoid network with one hidden layer, by backprop.

    ``X`` (m, n), ``y`` (m,), ``W1`` (n, u), ``b1`` (u,), ``W2`` (u, 1), ``b2`` (1,).
    Returns the trained ``(W1, b1, W2, b2, J_history)``; ``J_history[i]`` is the cost measured
    in the forward pass of step i, before its update — what Keras's History records for one
    batch per epoch.
    """
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    m = X.shape[0]
    J_history: list[float] = []
    for _ in range(num_iters):
        A1 = sigmoid(X @ W1 + b1)  # (m, u)
        z2 = A1 @ W2 + b2  # (m, 1)
        J_history.append(float(np.mean(np.logaddexp(0.0, z2[:, 0]) - y * z2[:, 0])))
        dZ2 = (sigmoid(z2) - y[:, None]) / m  # (m, 1): dJ/dz2 of the mean logistic loss
        dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)  # (m, u): through the hidden sigmoid
        W2, b2 = W2 - alpha * (A1.T @ dZ2), b2 - alpha * dZ2.sum(axis=0)
        W1, b1 = W1 - alpha * (X.T @ dZ1), b1 - alpha * dZ1.sum(axis=0)
    return W1, b1, W2, b2, J_history
