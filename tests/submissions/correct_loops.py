# Course-style solutions: explicit loops over the examples, scalar maths.
# gradient_descent uses the SHORT form (X, y, w_in, b_in, alpha, num_iters).
import copy
import math

import numpy as np


def sigmoid(z):
    z = np.clip(z, -500, 500)
    g = 1 / (1 + np.exp(-z))
    return g


def compute_model_output(X, w, b):
    m, n = X.shape
    f_wb = np.zeros(m)
    for i in range(m):
        z_i = 0.0
        for j in range(n):
            z_i = z_i + X[i, j] * w[j]
        z_i = z_i + b
        f_wb[i] = sigmoid(z_i)
    return f_wb


def compute_loss(f_x, y):
    loss = -y * np.log(f_x) - (1 - y) * np.log(1 - f_x)
    return loss


def compute_cost(X, y, w, b, *argv):
    m = X.shape[0]
    cost = 0.0
    for i in range(m):
        z_i = np.dot(X[i], w) + b
        f_wb_i = sigmoid(z_i)
        cost = cost + (-y[i] * np.log(f_wb_i) - (1 - y[i]) * np.log(1 - f_wb_i))
    total_cost = cost / m
    return total_cost


def compute_gradient(X, y, w, b, *argv):
    m, n = X.shape
    dj_dw = np.zeros(n)
    dj_db = 0.0
    for i in range(m):
        f_wb_i = sigmoid(np.dot(X[i], w) + b)
        err_i = f_wb_i - y[i]
        for j in range(n):
            dj_dw[j] = dj_dw[j] + err_i * X[i, j]
        dj_db = dj_db + err_i
    dj_dw = dj_dw / m
    dj_db = dj_db / m
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
        if i % math.ceil(num_iters / 10) == 0:
            print(f"Iteration {i:4d}: Cost {J_history[-1]}")
    return w, b, J_history


def predict(X, w, b):
    m, n = X.shape
    p = np.zeros(m)
    for i in range(m):
        z_wb = 0.0
        for j in range(n):
            z_wb = z_wb + X[i, j] * w[j]
        z_wb = z_wb + b
        f_wb = sigmoid(z_wb)
        p[i] = 1 if f_wb >= 0.5 else 0
    return p


def my_dense(a_in, W, b, g):
    units = W.shape[1]
    a_out = np.zeros(units)
    for j in range(units):
        w = W[:, j]
        z = np.dot(w, a_in) + b[j]
        a_out[j] = g(z)
    return a_out


def my_dense_v(A_in, W, b, g):
    m = A_in.shape[0]
    units = W.shape[1]
    A_out = np.zeros((m, units))
    for i in range(m):
        for j in range(units):
            A_out[i, j] = g(np.dot(A_in[i], W[:, j]) + b[j])
    return A_out


def my_sequential(x, W1, b1, W2, b2, W3, b3):
    a1 = my_dense(x, W1, b1, sigmoid)
    a2 = my_dense(a1, W2, b2, sigmoid)
    a3 = my_dense(a2, W3, b3, sigmoid)
    return a3
