# Misconception: keeping x as a tensor and returning it instead of a Python float.
# Diagnosis: returns_tensor_not_float
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0, derivatives by autograd."""
    x_val = torch.tensor(float(x0))
    for _ in range(steps):
        x = x_val.clone().requires_grad_(True)
        (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
        (d2,) = torch.autograd.grad(d1, x)
        x_val = (x - d1 / d2).detach()
    return x_val
