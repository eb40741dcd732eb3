# Right answer: a literal reader: the text says the numbers may be integers, to call retain_grad() on a and b before
# the backward pass, and to return a.grad and b.grad as Python floats.
def nonleaf_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/da, dy/db) of the worked example, read from a.grad and b.grad via retain_grad()."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    a = w + x
    b = w + 1
    a.retain_grad()
    b.retain_grad()
    y = a * b
    y.backward()
    return a.grad.item(), b.grad.item()
