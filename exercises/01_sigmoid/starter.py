import numpy as np  # noqa: F401


def sigmoid(z):
    """Compute the sigmoid of z.

    Parameters
    ----------
    z : scalar or ndarray of any shape
        The input: one number, or an array such as shape (m,) or (m, k).

    Returns
    -------
    g : scalar or ndarray of the same shape as z
        1 / (1 + e^(-z)), applied to every entry of z.
    """
    # TODO:
    # 1. Clip z to the range [-500, 500] so np.exp cannot overflow.
    # 2. Compute g = 1 / (1 + e^(-z)) with np.exp.
    # 3. Return g (replace the line below).
    return None
