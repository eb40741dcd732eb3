# Misconception: detaching the other factor (x instead of y), which gives 2x².
# Diagnosis: detached_wrong_tensor
def detach_partial(x: torch.Tensor) -> torch.Tensor:
    """Return dz/dx (element-wise, i.e. the gradient of z.sum()) for y = x * x, u = y.detach(), z = u * x,
    computed by autograd; a tensor of x's shape equal to x ** 2. The caller's x is not changed."""
    x_leaf = x.detach().clone().requires_grad_(True)
    y = x_leaf * x_leaf
    z = y * x_leaf.detach()
    (grad,) = torch.autograd.grad(z.sum(), x_leaf)
    return grad
