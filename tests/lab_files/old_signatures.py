# The labs' older signatures: lambda_ parameters and the short gradient_descent.
import numpy as np
import math, copy


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def compute_cost(X, y, w, b, lambda_= 1):
    """lambda_ : unused placeholder"""
    m, n = X.shape
    f_wb = sigmoid(X @ w + b)
    total_cost = np.sum(-y * np.log(f_wb) - (1 - y) * np.log(1 - f_wb)) / m
    return total_cost


def compute_gradient(X, y, w, b, lambda_=None):
    m, n = X.shape
    err = sigmoid(X @ w + b) - y
    dj_dw = X.T @ err / m
    dj_db = np.sum(err) / m
    return dj_db, dj_dw


def gradient_descent(X, y, w_in, b_in, alpha, num_iters):
    J_history = []
    w = copy.deepcopy(w_in)
    b = b_in
    for i in range(num_iters):
        dj_db, dj_dw = compute_gradient(X, y, w, b)
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        if i < 100000:
            J_history.append(compute_cost(X, y, w, b))
    return w, b, J_history
