# Misconception: calling retain_grad() after backward(), when the intermediate gradients have already been thrown away.
# Diagnosis: retain_grad_missing
def nonleaf_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/da, dy/db) of the worked example, read from a.grad and b.grad via retain_grad()."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    y = a * b
    y.backward()
    a.retain_grad()
    b.retain_grad()
    return a.grad.item(), b.grad.item()
