import numpy as np


def sigmoid_function(z):
    return 1 / (1 + np.exp(-z))


def computeCost(X, y, w, b):
    f = sigmoid_function(X @ w + b)
    return np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f))


def compute_cost_reg(X, y, w, b, lambda_=1):
    m = X.shape[0]
    return computeCost(X, y, w, b) + lambda_ / (2 * m) * np.sum(w ** 2)


def test_sigmoid():
    assert sigmoid_function(0) == 0.5
