# exercise: gradient_descent
# mistake: gradient_ascent
import copy
import math


def gradient_descent(X, y, w_in, b_in, cost_function, gradient_function, alpha, num_iters, lambda_):
    w = copy.deepcopy(w_in)
    b = b_in
    J_history = []
    w_history = []
    for i in range(num_iters):
        dj_db, dj_dw = gradient_function(X, y, w, b, lambda_)
        w = w + alpha * dj_dw
        b = b + alpha * dj_db
        J_history.append(cost_function(X, y, w, b, lambda_))
        if i % math.ceil(num_iters / 10) == 0 or i == num_iters - 1:
            w_history.append(copy.deepcopy(w))
    return w, b, J_history, w_history
