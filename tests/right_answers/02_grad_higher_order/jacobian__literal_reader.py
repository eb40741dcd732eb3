# Right answer: a literal reader: preallocates torch.zeros(m, n, dtype=x.dtype) because the text says the result has x's dtype, fills row i with torch.autograd.grad of y[i] (retain_graph, materialize_grads as the text and demo say) on x.detach().requires_grad_(True).
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, in x's dtype, built row by row with torch.autograd.grad."""
    leaf = x.detach().requires_grad_(True)
    y = f(leaf)
    m, n = y.numel(), leaf.numel()
    J = torch.zeros(m, n, dtype=x.dtype)
    for i in range(m):
        (row,) = torch.autograd.grad(y[i], leaf, retain_graph=True, materialize_grads=True)
        J[i] = row
    return J
