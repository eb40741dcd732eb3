# Misconception: stacking the gradients as columns, which gives the (n, m) transpose of the Jacobian.
# Diagnosis: jacobian_transposed
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    y = f(x)
    cols = [torch.autograd.grad(y[i], x, retain_graph=True, materialize_grads=True)[0] for i in range(y.numel())]
    return torch.stack(cols, dim=1)
