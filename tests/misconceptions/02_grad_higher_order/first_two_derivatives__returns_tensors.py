# Misconception: returning the gradient tensors instead of Python floats (forgot .item()).
# Diagnosis: returns_tensor_not_float
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(float(x0), requires_grad=True)
    (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
    if not d1.requires_grad:
        return d1.detach(), torch.tensor(0.0)
    (d2,) = torch.autograd.grad(d1, x)
    return d1.detach(), d2
