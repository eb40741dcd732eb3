# Right answer: each row is a vector-Jacobian product with a one-hot grad_outputs vector, instead of differentiating y[i].
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    leaf = x.detach().clone().requires_grad_(True)
    y = f(leaf)
    eye = torch.eye(y.numel(), dtype=y.dtype).reshape(y.numel(), *y.shape)
    jac = torch.zeros(y.numel(), leaf.numel(), dtype=leaf.dtype)
    for i in range(y.numel()):
        (row,) = torch.autograd.grad(y, leaf, grad_outputs=eye[i], retain_graph=True, allow_unused=True)
        if row is not None:
            jac[i] = row.reshape(-1)
    return jac
