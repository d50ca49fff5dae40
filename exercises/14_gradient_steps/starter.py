import math  # noqa: F401


def gradient_steps(m, batch_size, epochs):
    """Count the parameter updates model.fit makes.

    Parameters
    ----------
    m : int
        The number of training examples (X has shape (m, n)).
    batch_size : int
        The number of examples per mini-batch (Keras default: 32).
    epochs : int
        The number of complete passes over the training data.

    Returns
    -------
    steps : int
        epochs * ceil(m / batch_size): one step per batch, per epoch.
    """
    # TODO:
    # 1. Compute the batches per epoch, rounding up (a partial batch counts).
    # 2. Multiply by epochs.
    # 3. Return the total as an int (replace the line below).
    return None
