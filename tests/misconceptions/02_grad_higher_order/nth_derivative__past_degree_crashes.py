# Misconception: not handling a derivative that no longer requires grad, so polynomials crash past their degree.
# Diagnosis: constant_derivative_unhandled
def nth_derivative(f, x0: float, n: int) -> float:
    """Return the n-th derivative of f at x0 as a Python float (n = 0: f(x0)); raise ValueError if n < 0."""
    if n < 0:
        raise ValueError(f"the order n must be >= 0, got {n}")
    x = torch.tensor(float(x0), requires_grad=True)
    d = f(x)
    for _ in range(n):
        (d,) = torch.autograd.grad(d, x, create_graph=True)
    return d.item()
