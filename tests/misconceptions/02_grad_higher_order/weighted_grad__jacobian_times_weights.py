# Misconception: computing J @ v (a Jacobian-vector product) instead of v^T J.
# Diagnosis: jvp_instead_of_vjp
def weighted_grad(f, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Return weights^T J_f(x) (same shape as x), the grad_outputs-weighted gradient of the vector f(x); x need not require grad."""
    J = torch.autograd.functional.jacobian(f, x)
    return J @ weights
