# Right answer: keeps the iterate as a tensor (detached and re-leafed each step), uses a while loop and float() at the end.
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0, derivatives by autograd."""
    x = torch.tensor(float(x0), dtype=torch.float64)
    done = 0
    while done < steps:
        x = x.detach().requires_grad_(True)
        d1 = torch.autograd.grad(f(x), x, create_graph=True)[0]
        d2 = torch.autograd.grad(d1, x)[0]
        x = (x - d1 / d2).detach()
        done += 1
    return float(x)
