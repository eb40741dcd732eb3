# Misconception: a plain backward() and hoping only x is touched; every leaf gets a gradient.
# Diagnosis: backward_without_inputs
def backward_only_wrt(w: float, x: float) -> tuple[float | None, float | None]:
    """Return (w.grad, x.grad), as floats or None, after backward(inputs=[x]) on the worked example."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward()
    return tuple(None if t.grad is None else t.grad.item() for t in (w_t, x_t))
