# Right answer: a literal reader: "make a leaf of your own from its values" read as x.detach().requires_grad_(), then backward and that leaf's .grad.
def detach_partial(x: torch.Tensor) -> torch.Tensor:
    """Return dz/dx (element-wise, i.e. the gradient of z.sum()) for y = x * x, u = y.detach(), z = u * x,
    computed by autograd; a tensor of x's shape equal to x ** 2. The caller's x is not changed."""
    x = x.detach().requires_grad_()
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    return x.grad
