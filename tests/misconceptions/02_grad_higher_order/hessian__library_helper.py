# Misconception: calling the library Hessian instead of differentiating the gradient with torch.autograd.grad as asked.
# Diagnosis: library_helper_used
def hessian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (n, n) Hessian of the scalar f at the 1-D tensor x, by differentiating the gradient with torch.autograd.grad."""
    return torch.autograd.functional.hessian(f, x)
