# Misconception: forgetting create_graph=True, so the first derivative has no graph to differentiate again.
# Diagnosis: constant_derivative_unhandled, create_graph_missing
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(float(x0), requires_grad=True)
    (d1,) = torch.autograd.grad(f(x), x)
    (d2,) = torch.autograd.grad(d1, x)
    return d1.item(), d2.item()
