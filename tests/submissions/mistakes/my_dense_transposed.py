# exercise: my_dense
# mistake: my_dense_transposed
import numpy as np


def my_dense(a_in, W, b, g):
    # treats W as (units, n_in): raises for non-square W, wrong for square W
    return g(np.dot(W, a_in) + b)
