# Right answer: tests d1.grad_fn is None (not requires_grad), passes allow_unused and maps a None second derivative to 0, returns float().
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(x0, dtype=torch.float32).requires_grad_()
    d1 = torch.autograd.grad(f(x), [x], create_graph=True)[0]
    if d1.grad_fn is None:
        return float(d1), 0.0
    d2 = torch.autograd.grad(d1, [x], allow_unused=True)[0]
    return float(d1), 0.0 if d2 is None else float(d2)
