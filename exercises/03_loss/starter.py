import numpy as np  # noqa: F401


def compute_loss(f_x, y):
    """Compute the binary cross-entropy loss of a prediction.

    Parameters
    ----------
    f_x : scalar or ndarray of shape (m,)
        The model's predicted probability (strictly between 0 and 1).
    y : scalar or ndarray of shape (m,)
        The true label, 0 or 1, matching f_x.

    Returns
    -------
    loss : scalar or ndarray of shape (m,)
        -y log(f_x) - (1 - y) log(1 - f_x), element by element.
    """
    # TODO:
    # 1. Compute the part of the loss used when y = 1: -y * log(f_x).
    # 2. Compute the part used when y = 0: -(1 - y) * log(1 - f_x).
    # 3. Return their sum (replace the line below).
    return None
