# Misconception: calling backward twice and reading x.grad, so f'' is added on top of f' (gradients are not zeroed).
# Diagnosis: grad_accumulates
def first_two_derivatives(f, x0: float) -> tuple[float, float]:
    """Return (f'(x0), f''(x0)) as Python floats, for f mapping a scalar tensor to a scalar tensor."""
    x = torch.tensor(float(x0), requires_grad=True)
    f(x).backward(create_graph=True)
    d1 = x.grad.item()
    if x.grad.requires_grad:
        x.grad.backward()
        return d1, x.grad.item()
    return d1, 0.0
