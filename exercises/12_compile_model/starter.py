import tensorflow as tf  # noqa: F401
from tensorflow.keras.losses import BinaryCrossentropy  # noqa: F401


def compile_model(model):
    """Compile a Keras model for binary classification.

    Parameters
    ----------
    model : tf.keras.Sequential
        An uncompiled model whose output, shape (m, 1), is a sigmoid
        probability for an input of shape (m, n_features).

    Returns
    -------
    model : tf.keras.Sequential
        The same model, compiled with the binary cross-entropy loss and the
        Adam optimiser (learning_rate=0.001).
    """
    # TODO:
    # 1. Call model.compile(...) with
    #    loss=BinaryCrossentropy() and
    #    optimizer=tf.keras.optimizers.Adam(learning_rate=0.001).
    # 2. Return the model (replace the line below).
    return None
