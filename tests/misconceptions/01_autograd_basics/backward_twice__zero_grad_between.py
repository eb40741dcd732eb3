# Misconception: zeroing w.grad between the two passes out of training-loop habit, so the second pass does not accumulate.
# Diagnosis: accumulation_suppressed
def backward_twice(w: float, x: float) -> tuple[float, float]:
    """Return w.grad after the first and after the second backward through one graph (retain_graph)."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward(retain_graph=True)
    first = w_t.grad.item()
    w_t.grad.zero_()
    y.backward()
    return first, w_t.grad.item()
