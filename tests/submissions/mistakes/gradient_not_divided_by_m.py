# exercise: gradient
# mistake: gradient_not_divided_by_m
import numpy as np


def compute_gradient(X, y, w, b, *argv):
    f = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    err = f - y
    dj_dw = X.T @ err
    dj_db = np.sum(err)
    return dj_db, dj_dw
