# Right answer: a literal reader: clears only w.grad (the text asks for w's), with `w.grad = None` from the table; integers allowed as the text says.
def zeroed_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), clearing the gradient before each step: [5.0, 5.0, 5.0, ...] at w=1, x=2."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    grads = []
    for _ in range(steps):
        w.grad = None
        y = (w + x) * (w + 1)
        y.backward()
        grads.append(w.grad.item())
    return grads
