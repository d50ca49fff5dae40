# exercise: train_model
# mistake: train_part_of_data
def train_model(model, X, y, epochs):
    # 118 of 128 examples still make 4 batches: only the data tells this apart.
    return model.fit(X[:-10], y[:-10], epochs=epochs)
