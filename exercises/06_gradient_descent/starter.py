import copy
import math  # noqa: F401


# compute_cost() and compute_gradient() from the earlier exercises are available here:
# nntutor provides them.
def gradient_descent(X, y, w_in, b_in, cost_function, gradient_function, alpha, num_iters, lambda_):
    """Learn w and b by running num_iters steps of gradient descent.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        m examples with n features each.
    y : ndarray of shape (m,)
        The labels, 0 or 1.
    w_in : ndarray of shape (n,)
        The initial weights (not modified).
    b_in : scalar
        The initial bias.
    cost_function : callable
        cost_function(X, y, w, b, lambda_) -> scalar cost.
    gradient_function : callable
        gradient_function(X, y, w, b, lambda_) -> (dj_db, dj_dw).
    alpha : float
        The learning rate.
    num_iters : int
        The number of gradient descent steps.
    lambda_ : scalar
        Passed through unchanged to cost_function and gradient_function.

    Returns
    -------
    w : ndarray of shape (n,)
        The learned weights.
    b : scalar
        The learned bias.
    J_history : list of num_iters floats
        The cost after each update.
    w_history : list of ndarrays of shape (n,)
        Snapshots of w, about every num_iters / 10 iterations.
    """
    # Work on a copy so the caller's w_in array is never modified.
    # (The "noqa" comments only quiet the linter until your code uses these names.)
    w = copy.deepcopy(w_in)  # noqa: F841
    b = b_in  # noqa: F841
    J_history = []  # noqa: F841
    w_history = []  # noqa: F841

    # TODO:
    # 1. Loop for i in range(num_iters).
    # 2. Get dj_db, dj_dw from gradient_function(X, y, w, b, lambda_).
    # 3. Update w and b: subtract alpha times the matching derivative.
    # 4. Append cost_function(X, y, w, b, lambda_) to J_history.
    # 5. If i % math.ceil(num_iters / 10) == 0 or i == num_iters - 1,
    #    append a copy of w to w_history.
    # 6. Return w, b, J_history, w_history (replace the line below).
    return None
