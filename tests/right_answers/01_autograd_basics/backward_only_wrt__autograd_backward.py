# Right answer: torch.autograd.backward(y, inputs=x) with a single tensor, and explicit if/else per leaf.
def backward_only_wrt(w: float, x: float) -> tuple[float | None, float | None]:
    """Return (w.grad, x.grad), as floats or None, after backward(inputs=[x]) on the worked example."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    torch.autograd.backward(y, inputs=x_t)
    gw = None
    if w_t.grad is not None:
        gw = float(w_t.grad)
    gx = None
    if x_t.grad is not None:
        gx = float(x_t.grad)
    return gw, gx
