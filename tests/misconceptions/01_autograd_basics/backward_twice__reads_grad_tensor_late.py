# Misconception: keeping a reference to w.grad, which the second backward changes in place.
# Diagnosis: grad_reference_not_copied
def backward_twice(w: float, x: float) -> tuple[float, float]:
    """Return w.grad after the first and after the second backward through one graph (retain_graph)."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward(retain_graph=True)
    first = w_t.grad
    y.backward()
    return float(first), float(w_t.grad)
