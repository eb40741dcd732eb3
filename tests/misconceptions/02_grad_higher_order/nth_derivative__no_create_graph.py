# Misconception: leaving out create_graph=True, so every derivative beyond the first is taken of a constant.
# Diagnosis: create_graph_missing
def nth_derivative(f, x0: float, n: int) -> float:
    """Return the n-th derivative of f at x0 as a Python float (n = 0: f(x0)); raise ValueError if n < 0."""
    if n < 0:
        raise ValueError(f"the order n must be >= 0, got {n}")
    x = torch.tensor(float(x0), requires_grad=True)
    d = f(x)
    for _ in range(n):
        if not d.requires_grad:
            return 0.0
        (d,) = torch.autograd.grad(d, x)
    return d.item()
