# Misconception: the library Jacobian on a closure over the graph (u -> J^T u), which never calls f itself.
# Diagnosis: library_helper_used
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    y = f(x)

    def vjp(u):
        return torch.autograd.grad(y, x, u, retain_graph=True, create_graph=True, materialize_grads=True)[0]

    return torch.autograd.functional.jacobian(vjp, torch.zeros_like(y)).T.detach()
