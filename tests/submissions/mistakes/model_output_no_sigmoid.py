# exercise: model_output
# mistake: model_output_no_sigmoid
def compute_model_output(X, w, b):
    return X @ w + b
