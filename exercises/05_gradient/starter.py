import numpy as np  # noqa: F401


# sigmoid() from the earlier exercise is available here: nntutor provides it.
# compute_model_output() is available here too.
def compute_gradient(X, y, w, b, *argv):
    """Compute the gradient of the logistic regression cost.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        m examples with n features each, one example per row.
    y : ndarray of shape (m,)
        The labels, 0 or 1.
    w : ndarray of shape (n,)
        The model's weights.
    b : scalar
        The model's bias.
    *argv : any
        Extra arguments (such as the course's lambda_), ignored here.

    Returns
    -------
    dj_db : scalar
        The derivative of the cost with respect to b.
    dj_dw : ndarray of shape (n,)
        The derivative of the cost with respect to each weight.
    """
    # TODO:
    # 1. Read the number of examples: m = X.shape[0].
    # 2. Compute the error of every example: err = f_wb - y (shape (m,)).
    # 3. dj_dw = (1/m) * (X transposed times err); dj_db = (1/m) * sum of err.
    # 4. Return dj_db, dj_dw in that order (replace the line below).
    return None
