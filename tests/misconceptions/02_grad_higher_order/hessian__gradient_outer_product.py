# Misconception: taking the outer product g g^T of the gradient (a Gauss-Newton-like guess) instead of second derivatives.
# Diagnosis: gradient_outer_product
def hessian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (n, n) Hessian of the scalar f at the 1-D tensor x, by differentiating the gradient with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x)
    return torch.outer(g, g)
