# UNQ_C1
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    g = 1 / (1 + np.exp(-z))
    return g


def compute_model_output(X, w, b):
    return sigmoid(np.dot(X, w) + b)


def compute_loss(f_x, y):
    return -y * np.log(f_x) - (1 - y) * np.log(1 - f_x)


# UNQ_C2
# GRADED FUNCTION: compute_cost
def compute_cost(X, y, w, b, *argv):
    # m is the global set from the training data in an earlier cell
    f_wb = sigmoid(X @ w + b)
    return np.sum(-y * np.log(f_wb) - (1 - y) * np.log(1 - f_wb)) / m


def gradient_descent(X, y, w_in, b_in, cost_function, gradient_function, alpha, num_iters, lambda_):
    w = copy.deepcopy(w_in)
    b = b_in
    J_history, w_history = [], []
    for i in range(num_iters):
        dj_db, dj_dw = gradient_function(X, y, w, b, lambda_)
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(cost_function(X, y, w, b, lambda_))
        if i % math.ceil(num_iters / 10) == 0:
            w_history.append(w)
    return w, b, J_history, w_history
