import numpy as np  # noqa: F401


def my_dense(a_in, W, b, g):
    """Compute the activations of one Dense layer for a single example.

    Parameters
    ----------
    a_in : ndarray of shape (n_in,)
        The input: one example, or the previous layer's activations.
    W : ndarray of shape (n_in, units)
        The weights; column j holds the weights of unit j.
    b : ndarray of shape (units,)
        The biases, one per unit.
    g : callable
        The activation function, applied element by element (e.g. sigmoid).

    Returns
    -------
    a_out : ndarray of shape (units,)
        The activation of every unit: g(a_in @ W + b).
    """
    # TODO:
    # 1. Compute the score of every unit: z = a_in @ W + b (shape (units,)),
    #    or loop over j in range(W.shape[1]) using W[:, j] and b[j].
    # 2. Apply the activation function g to the scores.
    # 3. Return the activations (replace the line below).
    return None
