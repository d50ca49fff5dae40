# exercise: train_model
# mistake: train_one_epoch
def train_model(model, X, y, epochs):
    return model.fit(X, y, epochs=1)
