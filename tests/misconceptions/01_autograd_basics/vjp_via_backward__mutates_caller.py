# Misconception: switching on requires_grad on the caller's own tensor and back-propagating into it.
# Diagnosis: grad_accumulates, mutates_caller_state
def vjp_via_backward(f, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Return v^T J_f(x), computed with backward(gradient=v), leaving the caller's x untouched."""
    x.requires_grad_(True)
    f(x).backward(gradient=v)
    return x.grad
