# exercise: gradient
# mistake: gradient_sign_flipped
import numpy as np


def compute_gradient(X, y, w, b, *argv):
    m = X.shape[0]
    f = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    err = y - f
    dj_dw = (X.T @ err) / m
    dj_db = np.sum(err) / m
    return dj_db, dj_dw
