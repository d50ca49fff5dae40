# exercise: sigmoid
# mistake: sigmoid_returns_list
import numpy as np


def sigmoid(z):
    import math

    return [1 / (1 + math.exp(-v)) for v in np.ravel(np.clip(z, -500, 500))]
