# Right answer: a literal reader: the text says the numbers may be integers, that the tensors must then be made
# floating point, and that t.item() gives the Python floats to return.
def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    a = w + x
    b = w + 1
    y = a * b
    y.backward()
    return w.grad.item(), x.grad.item()
