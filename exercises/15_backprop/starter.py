import numpy as np  # noqa: F401


# sigmoid() from the first exercise is available here: nntutor provides it.
def train_two_layer(X, y, W1, b1, W2, b2, alpha, num_iters):
    """Train a sigmoid network with one hidden layer by full-batch gradient descent.

    Parameters
    ----------
    X : ndarray of shape (m, n)
        The training examples, one per row.
    y : ndarray of shape (m,)
        The labels, 0 or 1.
    W1 : ndarray of shape (n, u)
        Weights of the hidden layer (column j = unit j).
    b1 : ndarray of shape (u,)
        Biases of the hidden layer.
    W2 : ndarray of shape (u, 1)
        Weights of the output layer.
    b2 : ndarray of shape (1,)
        Bias of the output layer.
    alpha : float
        The learning rate.
    num_iters : int
        The number of gradient steps (one per epoch: the whole data set is one batch).

    Returns
    -------
    W1, b1, W2, b2 : ndarrays
        The trained parameters, with the shapes they came in with.
    J_history : list of float
        J_history[i] is the cost computed in the forward pass of step i, before its
        update: what Keras's History records.
    """
    J_history = []
    # TODO: repeat num_iters times:
    # 1. Forward: A1 = sigmoid(X @ W1 + b1); f = sigmoid(A1 @ W2 + b2)  (shape (m, 1)).
    # 2. Cost: the mean logistic loss of f against y; append it to J_history.
    # 3. Backward: dZ2 = (f - y[:, None]) / m; dW2, db2; dA1 = dZ2 @ W2.T;
    #    dZ1 = dA1 * A1 * (1 - A1); dW1, db1.
    # 4. Update every parameter: W = W - alpha * dW (without changing the inputs in place).
    # Then return W1, b1, W2, b2, J_history (replace the line below).
    return None
