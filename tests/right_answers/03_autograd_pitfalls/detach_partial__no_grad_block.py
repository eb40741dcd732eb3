# Right answer: computes u = x * x inside torch.no_grad() (instead of y.detach()) and uses backward() on a private leaf.
def detach_partial(x: torch.Tensor) -> torch.Tensor:
    """Return dz/dx (element-wise, i.e. the gradient of z.sum()) for y = x * x, u = y.detach(), z = u * x,
    computed by autograd; a tensor of x's shape equal to x ** 2. The caller's x is not changed."""
    leaf = x.clone().detach().requires_grad_(True)
    with torch.no_grad():
        u = leaf * leaf
    z = u * leaf
    z.sum().backward()
    return leaf.grad
