# Misconception: taking a gradient-descent step x - lr * f'(x) instead of the Newton step x - f'(x)/f''(x).
# Diagnosis: gradient_descent_not_newton
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0, derivatives by autograd."""
    x_val = float(x0)
    for _ in range(steps):
        x = torch.tensor(x_val, requires_grad=True)
        (d1,) = torch.autograd.grad(f(x), x)
        x_val = x_val - 0.1 * d1.item()
    return x_val
