# Misconception: dy/da taken to be a (and dy/db to be b), mixing up which factor is held fixed.
# Diagnosis: partials_swapped
def nonleaf_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/da, dy/db) of the worked example, read from a.grad and b.grad via retain_grad()."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    a.retain_grad()
    b.retain_grad()
    y = a * b
    y.backward()
    return b.grad.item(), a.grad.item()
