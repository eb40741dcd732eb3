# Misconception: assuming f' always requires grad, so a linear f (f' constant, f'' = 0) crashes.
# Diagnosis: constant_derivative_unhandled
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(float(x0), requires_grad=True)
    (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1, x, allow_unused=True)
    return d1.item(), d2.item()
