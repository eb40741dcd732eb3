# Misconception: appending the .grad tensor itself, which backward keeps updating in place, instead of its value.
# Diagnosis: returns_tensor_not_float
def accumulated_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), never zeroing the gradient: [5.0, 10.0, 15.0, ...] at w=1, x=2."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    history = []
    for _ in range(steps):
        y = (w_t + x_t) * (w_t + 1)
        y.backward()
        history.append(w_t.grad)
    return history
