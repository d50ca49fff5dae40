"""Seeded data for the checks: the same seed always gives the same inputs (no downloads)."""

from __future__ import annotations

import numpy as np

from nntutor.reference.logistic import sigmoid


def classification(seed: int, m: int, n: int, spread: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """``X`` of shape (m, n) and 0./1. labels ``y`` of shape (m,) from a noisy logistic model."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, spread, size=(m, n))
    w_true = rng.normal(0.0, 1.0, size=n)
    probability = sigmoid(X @ w_true + rng.normal())
    y = (rng.random(m) < np.atleast_1d(probability)).astype(float)
    return X, y


def parameters(seed: int, n: int, scale: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights ``w`` of shape (n,) and a scalar bias ``b``."""
    rng = np.random.default_rng(seed + 7919)
    return rng.normal(0.0, scale, size=n), float(rng.normal(0.0, scale))


def exam_scores(seed: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Two features on the scale of exam scores (30 to 100), as in the course's first lab."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(30.0, 100.0, size=(m, 2))
    probability = sigmoid((X[:, 0] + X[:, 1] - 130.0) / 8.0)
    return X, (rng.random(m) < probability).astype(float)


def roast_quality(seed: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``X`` (m, 2) float32 and labels ``y`` (m,) float32 that a small network can learn.

    Like the course's coffee-roasting lab, already normalised: good roasts (y = 1) sit in a
    round region of (temperature, duration), which no single straight line separates.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(m, 2))
    y = ((X[:, 0] - 0.3) ** 2 + (X[:, 1] + 0.2) ** 2 < 1.0).astype(np.float32)
    return X.astype(np.float32), y
