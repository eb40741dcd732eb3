# Right answer: clears the gradients with .grad.zero_() after each read (skipped while .grad is still None) instead of setting None.
def zeroed_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), clearing the gradient before each step: [5.0, 5.0, 5.0, ...] at w=1, x=2."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    history = []
    for _ in range(steps):
        for leaf in (w_t, x_t):
            if leaf.grad is not None:
                leaf.grad.zero_()
        ((w_t + x_t) * (w_t + 1)).backward()
        history.append(float(w_t.grad))
    return history
