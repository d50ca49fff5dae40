def compute_loss(f_x, y):
    return -y * np.log(f_x) - (1 - y) * np.log(1 - f_x)


# the helper again, as in a later cell of the notebook
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
