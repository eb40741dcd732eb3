# Misconception: back-propagating a vector of ones (the gradient of f(x).sum()) because backward "needs a gradient", ignoring v.
# Diagnosis: grad_tensors_ignored
def vjp_via_backward(f, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Return v^T J_f(x), computed with backward(gradient=v), leaving the caller's x untouched."""
    x_leaf = x.detach().clone().requires_grad_(True)
    y = f(x_leaf)
    y.backward(gradient=torch.ones_like(y))
    return x_leaf.grad
