# Misconception: J v (a Jacobian-vector product) in place of v^T J, which only agrees for symmetric J.
# Diagnosis: jvp_instead_of_vjp
def vjp_via_backward(f, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Return v^T J_f(x), computed with backward(gradient=v), leaving the caller's x untouched."""
    x_leaf = x.detach().clone().requires_grad_(True)
    y = f(x_leaf)
    rows = []
    for i in range(y.numel()):
        (g,) = torch.autograd.grad(y.reshape(-1)[i], x_leaf, retain_graph=True)
        rows.append(g)
    jac = torch.stack(rows)
    if jac.shape[0] == jac.shape[1]:
        return jac @ v
    return v @ jac
