"""Reference logistic regression in NumPy, written the way the lessons teach it.

Shapes: ``X`` is ``(m, n)``, ``y`` and model outputs are ``(m,)``, ``w`` is ``(n,)``, ``b`` a
scalar. Everything is numerically stable: no overflow warning even for |z| = 1000.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np


def sigmoid(z: Any) -> Any:
    """g(z) = 1 / (1 + e^(-z)), elementwise; a scalar in gives a scalar out."""
    z = np.asarray(z, dtype=float)
    # exp of a non-positive number never overflows: use the form that keeps it so.
    e = np.exp(-np.abs(z))
    g = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return g.item() if g.ndim == 0 else g


def compute_model_output(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """f_wb(x) = g(w · x + b) for every row of ``X``: shape (m,)."""
    return sigmoid(X @ w + b)


def compute_loss(f_x: Any, y: Any) -> Any:
    """L(f, y) = -y log(f) - (1 - y) log(1 - f), elementwise; logs clipped away from 0."""
    f = np.clip(np.asarray(f_x, dtype=float), 1e-15, 1 - 1e-15)
    loss = -y * np.log(f) - (1 - np.asarray(y)) * np.log1p(-f)
    return loss.item() if np.ndim(loss) == 0 else loss


def _logistic_loss_from_z(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The loss written in terms of z, exact even where g(z) rounds to 0 or 1."""
    # -y log g(z) - (1-y) log(1 - g(z)) == log(1 + e^z) - y z, computed stably.
    return np.logaddexp(0.0, z) - y * z


def compute_cost(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, *argv: Any) -> float:
    """J(w, b) = (1/m) Σ L(f_wb(x_i), y_i): a scalar. Extra arguments (lambda_) are ignored."""
    z = X @ w + b
    return float(np.mean(_logistic_loss_from_z(z, y)))


def compute_gradient(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, *argv: Any
) -> tuple[float, np.ndarray]:
    """Returns ``(dj_db, dj_dw)`` (the course's order): a scalar and shape (n,)."""
    m = X.shape[0]
    err = compute_model_output(X, w, b) - y
    dj_dw = X.T @ err / m
    dj_db = float(np.sum(err) / m)
    return dj_db, dj_dw


def gradient_descent(
    X: np.ndarray,
    y: np.ndarray,
    w_in: np.ndarray,
    b_in: float,
    cost_function: Callable[..., float],
    gradient_function: Callable[..., tuple[float, np.ndarray]],
    alpha: float,
    num_iters: int,
    lambda_: float,
) -> tuple[np.ndarray, float, list[float], list[np.ndarray]]:
    """``num_iters`` steps of batch gradient descent from ``(w_in, b_in)``.

    Returns ``(w, b, J_history, w_history)``: J_history has the cost after every step;
    w_history has ``w`` every ``ceil(num_iters / 10)`` steps, as in the course.
    """
    w = copy.deepcopy(w_in)
    b = b_in
    J_history: list[float] = []
    w_history: list[np.ndarray] = []
    every = math.ceil(num_iters / 10)
    for i in range(num_iters):
        dj_db, dj_dw = gradient_function(X, y, w, b, lambda_)
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(float(cost_function(X, y, w, b, lambda_)))
        if i % every == 0 or i == num_iters - 1:
            w_history.append(w)
    return w, b, J_history, w_history


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """1 where g(w · x + b) >= 0.5 (so a probability of exactly 0.5 gives 1), else 0: (m,)."""
    return (compute_model_output(X, w, b) >= 0.5).astype(int)
