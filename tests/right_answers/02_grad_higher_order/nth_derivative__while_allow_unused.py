# Right answer: a while loop that counts down n, with allow_unused and a None gradient turned into a zero tensor.
def nth_derivative(f, x0: float, n: int) -> float:
    """Return the n-th derivative of f at x0 as a Python float (n = 0: f(x0)); raise ValueError if n < 0."""
    if n < 0:
        raise ValueError("negative order")
    x = torch.tensor(float(x0), requires_grad=True)
    d = f(x)
    remaining = n
    while remaining > 0:
        if d.grad_fn is None:
            d = torch.zeros(())
        else:
            (g,) = torch.autograd.grad(d, x, create_graph=True, allow_unused=True)
            d = torch.zeros(()) if g is None else g
        remaining -= 1
    return float(d)
