# Misconception: computing the gradient without create_graph=True, so it cannot be differentiated again.
# Diagnosis: no_graph_to_differentiate
def hessian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (n, n) Hessian of the scalar f at the 1-D tensor x, by differentiating the gradient with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x)
    rows = [torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(x.numel())]
    return torch.stack(rows)
