# Misconception: zeroing the gradient every step out of habit, so nothing accumulates.
# Diagnosis: grad_cleared_between_steps
def accumulated_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), never zeroing the gradient: [5.0, 10.0, 15.0, ...] at w=1, x=2."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    history = []
    for _ in range(steps):
        w_t.grad = None
        y = (w_t + x_t) * (w_t + 1)
        y.backward()
        history.append(w_t.grad.item())
    return history
