# Misconception: reading the leaves' gradients (w.grad, x.grad) in place of the intermediate ones.
# Diagnosis: leaf_grads_for_nonleaf
def nonleaf_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/da, dy/db) of the worked example, read from a.grad and b.grad via retain_grad()."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward()
    return x_t.grad.item(), w_t.grad.item()
