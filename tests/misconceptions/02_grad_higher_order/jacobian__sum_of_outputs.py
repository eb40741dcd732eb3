# Misconception: differentiating sum(f(x)) for every row, so each row is the sum of all rows.
# Diagnosis: summed_outputs_differentiated
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    x = x.detach().requires_grad_(True)
    y = f(x)
    rows = [torch.autograd.grad(y.sum(), x, retain_graph=True)[0] for _ in range(y.numel())]
    return torch.stack(rows)
