# Misconception: forgetting the detach, so z = x·x·x and the derivative is 3x².
# Diagnosis: detach_missing
def detach_partial(x: torch.Tensor) -> torch.Tensor:
    """Return dz/dx (element-wise, i.e. the gradient of z.sum()) for y = x * x, u = y.detach(), z = u * x,
    computed by autograd; a tensor of x's shape equal to x ** 2. The caller's x is not changed."""
    x_leaf = x.detach().clone().requires_grad_(True)
    y = x_leaf * x_leaf
    u = y
    z = u * x_leaf
    (grad,) = torch.autograd.grad(z.sum(), x_leaf)
    return grad
