import numpy as np  # noqa: F401


# sigmoid() from the earlier exercise is available here: nntutor provides it.
# compute_model_output() and compute_loss() are available here too.
def compute_cost(X, y, w, b, *argv):
    """Compute the logistic regression cost J(w, b) over all examples.

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
    total_cost : scalar
        The average binary cross-entropy loss over the m examples.
    """
    # TODO:
    # 1. Read the number of examples: m = X.shape[0].
    # 2. Compute the probabilities f_wb for every row of X.
    # 3. Compute the loss of every example from f_wb and y.
    # 4. Return the sum of the losses divided by m (replace the line below).
    return None
