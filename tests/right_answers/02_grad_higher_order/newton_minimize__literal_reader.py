# Right answer: a literal reader: the text says x0 may be an int and the result is a Python float even for steps = 0 (float(x0)), and that both derivatives come from autograd inside the function.
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float, also for steps = 0) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0 (a float or an int), derivatives by autograd."""
    x = float(x0)
    for _ in range(steps):
        t = torch.tensor(x, requires_grad=True)
        (d1,) = torch.autograd.grad(f(t), t, create_graph=True)
        (d2,) = torch.autograd.grad(d1, t)
        x = x - d1.item() / d2.item()
    return x
