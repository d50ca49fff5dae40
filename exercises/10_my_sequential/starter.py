import numpy as np  # noqa: F401


# sigmoid() from the earlier exercise is available here: nntutor provides it.
# my_dense() is available here too.
def my_sequential(x, W1, b1, W2, b2, W3, b3):
    """Forward pass of a 3-layer network with sigmoid activations, one example.

    Parameters
    ----------
    x : ndarray of shape (n,)
        One example with n features.
    W1 : ndarray of shape (n, u1)
        Weights of layer 1 (column j = unit j).
    b1 : ndarray of shape (u1,)
        Biases of layer 1.
    W2 : ndarray of shape (u1, u2)
        Weights of layer 2.
    b2 : ndarray of shape (u2,)
        Biases of layer 2.
    W3 : ndarray of shape (u2, 1)
        Weights of the output layer.
    b3 : ndarray of shape (1,)
        Bias of the output layer.

    Returns
    -------
    a3 : ndarray of shape (1,)
        The network's output: the probability that y = 1.
    """
    # TODO:
    # 1. a1 = layer 1 applied to x (use my_dense with sigmoid).
    # 2. a2 = layer 2 applied to a1.
    # 3. a3 = layer 3 applied to a2.
    # 4. Return a3 (replace the line below).
    return None
