# Misconception: not validating n, so a negative order silently returns f(x0) instead of raising ValueError.
# Diagnosis: negative_order_unchecked
def nth_derivative(f, x0: float, n: int) -> float:
    """Return the n-th derivative of f at x0 as a Python float (n = 0: f(x0)); raise ValueError if n < 0."""
    x = torch.tensor(float(x0), requires_grad=True)
    d = f(x)
    for _ in range(n):
        if not d.requires_grad:
            return 0.0
        (d,) = torch.autograd.grad(d, x, create_graph=True)
    return d.item()
