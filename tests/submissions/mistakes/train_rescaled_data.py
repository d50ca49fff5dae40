# exercise: train_model
# mistake: train_rescaled_data
def train_model(model, X, y, epochs):
    return model.fit(X / 10, y, epochs=epochs)
