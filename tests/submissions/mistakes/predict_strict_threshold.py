# exercise: predict
# mistake: predict_strict_threshold
import numpy as np


def predict(X, w, b):
    f = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    return (f > 0.5).astype(int)
