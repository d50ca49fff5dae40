# exercise: gradient_steps
# mistake: steps_floor
def gradient_steps(m, batch_size, epochs):
    return epochs * (m // batch_size)
