# Misconception: rebuilding the tensors for the second pass, so nothing accumulates.
# Diagnosis: accumulation_suppressed
def backward_twice(w: float, x: float) -> tuple[float, float]:
    """Return w.grad after the first and after the second backward through one graph (retain_graph)."""
    grads = []
    for _ in range(2):
        w_t = torch.tensor(float(w), requires_grad=True)
        x_t = torch.tensor(float(x), requires_grad=True)
        y = (w_t + x_t) * (w_t + 1)
        y.backward()
        grads.append(w_t.grad.item())
    return grads[0], grads[1]
