# Right answer: torch.autograd.grad returns both derivatives instead of backward() filling .grad, and float() replaces .item().
def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    w_t = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    x_t = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    y = torch.mul(torch.add(w_t, x_t), torch.add(w_t, 1))
    dw, dx = torch.autograd.grad(y, (w_t, x_t))
    return float(dw), float(dx)
