import numpy as np  # noqa: F401


# sigmoid() from the earlier exercise is available here: nntutor provides it.
def predict(X, w, b):
    """Predict 0 or 1 for every example with a trained logistic regression.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        m examples with n features each, one example per row.
    w : ndarray of shape (n,)
        The learned weights.
    b : scalar
        The learned bias.

    Returns
    -------
    p : ndarray of shape (m,)
        1 where sigmoid(X @ w + b) >= 0.5, and 0 elsewhere.
    """
    # TODO:
    # 1. Compute the probability of y = 1 for every row: sigmoid(X @ w + b).
    # 2. Compare the probabilities with 0.5 (use >=).
    # 3. Convert True/False to 1/0 and return it (replace the line below).
    return None
