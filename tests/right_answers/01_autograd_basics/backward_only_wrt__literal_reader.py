# Right answer: a literal reader: the text says the numbers may be integers, backward(inputs=[x]), and each gradient
# returned as a Python float or None when it was not filled in.
def backward_only_wrt(w: float, x: float) -> tuple[float | None, float | None]:
    """Return (w.grad, x.grad), as floats or None, after backward(inputs=[x]) on the worked example."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    y = (w + x) * (w + 1)
    y.backward(inputs=[x])
    w_grad = None if w.grad is None else w.grad.item()
    x_grad = None if x.grad is None else x.grad.item()
    return w_grad, x_grad
