def predict(X, w, b):
    return (sigmoid(X @ w + b) >= 0.5).astype(int)
