import numpy as np  # noqa: F401


# sigmoid() from the earlier exercise is available here: nntutor provides it.
def compute_model_output(X, w, b):
    """Compute the logistic regression output f_wb(x) for every example.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        m examples with n features each, one example per row.
    w : ndarray of shape (n,)
        The model's weights, one per feature.
    b : scalar
        The model's bias.

    Returns
    -------
    f_wb : ndarray of shape (m,)
        The predicted probability g(w · x + b) for each row of X.
    """
    # TODO:
    # 1. Compute the linear scores z = X @ w + b (shape (m,)).
    # 2. Apply sigmoid(z) to turn the scores into probabilities.
    # 3. Return the probabilities (replace the line below).
    return None
