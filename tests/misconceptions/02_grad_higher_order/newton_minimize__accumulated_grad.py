# Misconception: getting f'' from a second backward into x.grad, which then holds f' + f'' (gradients accumulate).
# Diagnosis: grad_accumulates
def newton_minimize(f, x0: float, steps: int) -> float:
    """Return x (a Python float) after `steps` Newton iterations x <- x - f'(x)/f''(x) from x0, derivatives by autograd."""
    x_val = float(x0)
    for _ in range(steps):
        x = torch.tensor(x_val, requires_grad=True)
        f(x).backward(create_graph=True)
        d1 = x.grad.item()
        x.grad.backward()
        d2 = x.grad.item()
        x_val = x_val - d1 / d2
    return x_val
