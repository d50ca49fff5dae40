# exercise: build_model
# mistake: keras_wrong_units
def build_model(n_features):
    import tensorflow as tf
    from tensorflow.keras import Sequential
    from tensorflow.keras.layers import Dense

    return Sequential(
        [
            tf.keras.Input(shape=(n_features,)),
            Dense(15, activation="sigmoid"),
            Dense(25, activation="sigmoid"),
            Dense(1, activation="sigmoid"),
        ]
    )
