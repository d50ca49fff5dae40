# Mistakes seen in learners' lab files.
import math
import numpy as np

m = 100  # the lab's training set has 100 examples


def sigmoid(z):
    # by hand, one value at a time
    g = []
    for value in np.atleast_1d(z).ravel():
        g.append(1 / (1 + math.exp(-value)))
    return g


def compute_loss(f_x, y):
    pass


def compute_cost(X, y, w, b, *argv):
    f_wb = 1 / (1 + np.exp(-(X @ w + b)))
    return np.sum(-y * np.log(f_wb) - (1 - y) * np.log(1 - f_wb)) / m


def compute_gradient(X, y, w, b, *argv):
    m = X.shape[0]
    err = 1 / (1 + np.exp(-(X @ w + b))) - y
    dj_dw = X.T @ err / m
    dj_db = np.sum(err) / m
    return dj_dw, dj_db


def predict(X, w, b):
    f_wb = 1 / (1 + np.exp(-(X @ w + b)))
    return (f_wb > 0.5).astype(int)


def my_dense_v(A_in, W, b, g):
    """Vectorised Dense layer."""
### START CODE HERE ###


### END CODE HERE ###
    return(A_out)
