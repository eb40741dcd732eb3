# Misconception: back-propagating into the caller's x and returning x.grad, which accumulates across calls.
# Diagnosis: grad_accumulates
def detach_partial(x: torch.Tensor) -> torch.Tensor:
    """Return dz/dx (element-wise, i.e. the gradient of z.sum()) for y = x * x, u = y.detach(), z = u * x,
    computed by autograd; a tensor of x's shape equal to x ** 2. The caller's x is not changed."""
    x.requires_grad_(True)
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    return x.grad
