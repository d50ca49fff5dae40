# exercise: train_model
# mistake: train_recompiled_optimizer
def train_model(model, X, y, epochs):
    import tensorflow as tf

    model.compile(
        loss=tf.keras.losses.BinaryCrossentropy(),
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
    )
    return model.fit(X, y, epochs=epochs)
