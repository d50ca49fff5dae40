# exercise: my_dense
# mistake: my_dense_missing_g
def my_dense(a_in, W, b, g):
    return a_in @ W + b
