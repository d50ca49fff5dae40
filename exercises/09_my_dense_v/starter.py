import numpy as np  # noqa: F401


def my_dense_v(A_in, W, b, g):
    """Compute the activations of one Dense layer for m examples at once.

    Parameters
    ----------
    A_in : ndarray of shape (m, n_in)
        m examples (or previous-layer activations), one per row.
    W : ndarray of shape (n_in, units)
        The weights; column j holds the weights of unit j.
    b : ndarray of shape (units,)
        The biases, one per unit.
    g : callable
        The activation function, applied element by element (e.g. sigmoid).

    Returns
    -------
    A_out : ndarray of shape (m, units)
        g(A_in @ W + b): row i holds the activations for example i.
    """
    # TODO:
    # 1. Compute every score with one matrix product: Z = A_in @ W + b
    #    (shape (m, units); b is added to every row by broadcasting).
    # 2. Apply the activation function g to Z.
    # 3. Return the result (replace the line below).
    return None
