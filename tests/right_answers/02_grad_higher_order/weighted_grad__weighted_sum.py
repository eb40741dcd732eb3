# Right answer: differentiates the scalar (weights * f(x)).sum() of a cloned leaf, instead of passing grad_outputs.
def weighted_grad(f, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Return weights^T J_f(x) (same shape as x), the grad_outputs-weighted gradient of the vector f(x); x need not require grad."""
    leaf = x.clone().detach().requires_grad_(True)
    scalar = torch.sum(weights * f(leaf))
    return torch.autograd.grad(scalar, leaf)[0]
