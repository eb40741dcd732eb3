# Misconception: zeroing in place and appending the .grad tensor, so every entry is the same (tensor) object.
# Diagnosis: returns_tensor_not_float
def zeroed_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), clearing the gradient before each step: [5.0, 5.0, 5.0, ...] at w=1, x=2."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    history = []
    for _ in range(steps):
        if w_t.grad is not None:
            w_t.grad.zero_()
        y = (w_t + x_t) * (w_t + 1)
        y.backward()
        history.append(w_t.grad)
    return history
