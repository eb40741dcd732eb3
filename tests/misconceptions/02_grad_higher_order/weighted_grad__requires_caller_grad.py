# Misconception: differentiating with respect to the caller's x directly, which fails when x does not require grad.
# Diagnosis: assumes_input_requires_grad
def weighted_grad(f, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Return weights^T J_f(x) (same shape as x), the grad_outputs-weighted gradient of the vector f(x); x need not require grad."""
    (g,) = torch.autograd.grad(f(x), x, grad_outputs=weights)
    return g
