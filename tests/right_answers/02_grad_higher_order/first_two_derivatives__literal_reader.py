# Right answer: a literal reader: the text says x0 may be an int (convert with float(x0)), to use torch.autograd.grad with create_graph=True, that a linear f (f' without requires_grad) has f'' = 0, and .item() for floats.
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor; x0 may be an int."""
    x = torch.tensor(float(x0), requires_grad=True)
    (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
    if not d1.requires_grad:
        return d1.item(), 0.0
    (d2,) = torch.autograd.grad(d1, x)
    return d1.item(), d2.item()
