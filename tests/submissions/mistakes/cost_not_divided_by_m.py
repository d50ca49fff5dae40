# exercise: cost
# mistake: cost_not_divided_by_m
import numpy as np


def compute_cost(X, y, w, b, *argv):
    f = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    return np.sum(-y * np.log(f) - (1 - y) * np.log(1 - f))
