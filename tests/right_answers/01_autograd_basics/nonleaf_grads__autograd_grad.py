# Right answer: asks torch.autograd.grad for the gradients with respect to the non-leaves a and b, no retain_grad().
def nonleaf_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/da, dy/db) of the worked example, read from a.grad and b.grad via retain_grad()."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    y = a * b
    da, db = torch.autograd.grad(y, [a, b])
    return float(da), float(db)
