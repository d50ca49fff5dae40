# exercise: model_output
# mistake: model_output_column
import numpy as np


def compute_model_output(X, w, b):
    z = X @ w.reshape(-1, 1) + b
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))
