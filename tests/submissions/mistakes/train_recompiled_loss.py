# exercise: train_model
# mistake: train_recompiled_loss
def train_model(model, X, y, epochs):
    import tensorflow as tf

    model.compile(loss="mse", optimizer=tf.keras.optimizers.Adam(learning_rate=0.001))
    return model.fit(X, y, epochs=epochs)
