# Right answer: a literal reader: the text says to use grad_outputs and to work on x.detach().requires_grad_(True), since x may or may not require grad and must not change.
def weighted_grad(f, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Return weights^T J_f(x) (same shape as x), the grad_outputs-weighted gradient of the vector f(x); x may or may not require grad and is left unchanged."""
    leaf = x.detach().requires_grad_(True)
    return torch.autograd.grad(f(leaf), leaf, grad_outputs=weights)[0]
