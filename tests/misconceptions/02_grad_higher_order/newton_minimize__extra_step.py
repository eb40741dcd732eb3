# Misconception: an off-by-one loop (range(steps + 1)) that takes one Newton step too many.
# Diagnosis: loop_off_by_one
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0, derivatives by autograd."""
    x_val = float(x0)
    for _ in range(steps + 1):
        x = torch.tensor(x_val, requires_grad=True)
        (d1,) = torch.autograd.grad(f(x), x, create_graph=True)
        (d2,) = torch.autograd.grad(d1, x)
        x_val = x_val - d1.item() / d2.item()
    return x_val
