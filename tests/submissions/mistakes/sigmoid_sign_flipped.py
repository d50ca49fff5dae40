# exercise: sigmoid
# mistake: sigmoid_sign_flipped
import numpy as np


def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(z))
