# Right answer: a literal reader: the text says w and x may be integers ("make the leaves floating point") and steps = 0 gives [].
def accumulated_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), never zeroing the gradient: [5.0, 10.0, 15.0, ...] at w=1, x=2."""
    w = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    x = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    grads = []
    for _ in range(steps):
        y = (w + x) * (w + 1)
        y.backward()
        grads.append(w.grad.item())
    return grads
