# exercise: predict
# mistake: predict_thresholds_z
def predict(X, w, b):
    z = X @ w + b
    return (z >= 0.5).astype(int)
