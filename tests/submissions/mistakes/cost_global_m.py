# exercise: cost
# mistake: cost_global_m
import numpy as np

m = 100


def compute_cost(X, y, w, b, *argv):
    f = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    return np.sum(-y * np.log(f) - (1 - y) * np.log(1 - f)) / m
