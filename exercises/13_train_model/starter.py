def train_model(model, X, y, epochs):
    """Train a compiled Keras model and return its training history.

    Parameters
    ----------
    model : tf.keras.Sequential
        A compiled model mapping inputs of shape (m, n_features) to
        probabilities of shape (m, 1).
    X : ndarray of shape (m, n_features)
        The training examples, one per row.
    y : ndarray of shape (m,)
        The labels, 0 or 1.
    epochs : int
        The number of complete passes over the training data.

    Returns
    -------
    history : tf.keras.callbacks.History
        The object returned by model.fit; history.history["loss"] is a list
        of epochs floats, the cost after each epoch.
    """
    # TODO:
    # 1. Call model.fit with X, y and epochs=epochs.
    # 2. Return the History object that fit returns (replace the line below).
    return None
