# Misconception: multiplying the gradient of sum(f(x)) by the weights afterwards, which is right only for elementwise f.
# Diagnosis: weights_applied_after_chain_rule
def weighted_grad(f, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Return weights^T J_f(x) (same shape as x), the grad_outputs-weighted gradient of the vector f(x); x need not require grad."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x).sum(), x)
    return g * weights
