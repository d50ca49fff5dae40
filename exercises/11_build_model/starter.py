import tensorflow as tf  # noqa: F401
from tensorflow.keras import Sequential  # noqa: F401
from tensorflow.keras.layers import Dense  # noqa: F401


def build_model(n_features):
    """Build (but do not compile) a 3-layer sigmoid network in Keras.

    Parameters
    ----------
    n_features : int
        The number of features of each example; X has shape (m, n_features).

    Returns
    -------
    model : tf.keras.Sequential
        An uncompiled model: Input(shape=(n_features,)), then Dense layers of
        25, 15 and 1 units, all with the sigmoid activation. Its output for
        an input of shape (m, n_features) has shape (m, 1).
    """
    # TODO:
    # 1. Create model = Sequential([...]) with, in order:
    #    tf.keras.Input(shape=(n_features,)),
    #    Dense(25, activation="sigmoid"),
    #    Dense(15, activation="sigmoid"),
    #    Dense(1, activation="sigmoid").
    # 2. Return the model without compiling it (replace the line below).
    return None
