# Misconception: the library Jacobian on a closure over the gradient's graph (u -> H u), never calling f.
# Diagnosis: library_helper_used
def hessian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (n, n) Hessian of the scalar f at the 1-D tensor x, with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)

    def hvp(u):
        return torch.autograd.grad(g, x, u, retain_graph=True, create_graph=True, materialize_grads=True)[0]

    return torch.autograd.functional.jacobian(hvp, torch.zeros_like(x)).detach()
