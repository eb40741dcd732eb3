# Misconception: differentiating f itself a second time (with retain_graph) instead of differentiating f'.
# Diagnosis: differentiates_f_again
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(float(x0), requires_grad=True)
    y = f(x)
    (d1,) = torch.autograd.grad(y, x, retain_graph=True)
    (d2,) = torch.autograd.grad(y, x)
    return d1.item(), d2.item()
