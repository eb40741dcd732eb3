# Misconception: keeping only the pure second derivatives d2f/dxi2 and dropping the mixed ones.
# Diagnosis: hessian_diagonal_only
def hessian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (n, n) Hessian of the scalar f at the 1-D tensor x, by differentiating the gradient with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    H = torch.zeros(x.numel(), x.numel(), dtype=x.dtype)
    for i in range(x.numel()):
        H[i, i] = torch.autograd.grad(g[i], x, retain_graph=True, materialize_grads=True)[0][i]
    return H
