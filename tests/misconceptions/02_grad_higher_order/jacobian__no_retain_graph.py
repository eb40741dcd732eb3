# Misconception: forgetting retain_graph=True, so the second row tries to go through a freed graph.
# Diagnosis: retain_graph_missing
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    y = f(x)
    rows = [torch.autograd.grad(y[i], x, materialize_grads=True)[0] for i in range(y.numel())]
    return torch.stack(rows)
