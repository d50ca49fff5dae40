# exercise: compile_model
# mistake: keras_mse_loss
def compile_model(model):
    import tensorflow as tf
    from tensorflow.keras.losses import MeanSquaredError

    model.compile(
        loss=MeanSquaredError(),
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.001),
    )
    return model
