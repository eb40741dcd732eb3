# Right answer: a literal reader: the text says n < 0 raises ValueError, n = 0 gives f(x0), x0 may be an int (float(x0)), each round uses create_graph=True and a derivative without requires_grad makes every further one 0.
def nth_derivative(f, x0: float, n: int) -> float:
    """Return the n-th derivative of f at x0 (a float or an int) as a Python float (n = 0: f(x0)); raise ValueError if n < 0."""
    if n < 0:
        raise ValueError("n must not be negative")
    x = torch.tensor(float(x0), requires_grad=True)
    d = f(x)
    for _ in range(n):
        if not d.requires_grad:
            return 0.0
        (d,) = torch.autograd.grad(d, x, create_graph=True)
    return d.item()
