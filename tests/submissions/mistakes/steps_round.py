# exercise: gradient_steps
# mistake: steps_round
def gradient_steps(m, batch_size, epochs):
    return epochs * round(m / batch_size)
