# Misconception: using the one-sided difference (f(x+h) - f(x))/h, whose error is O(h) instead of O(h^2).
# Diagnosis: forward_difference
def numerical_grad(f, x: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """Return the centred finite-difference gradient of the scalar f at x, in float64, with x's shape; x is not modified."""
    base = x.detach().to(torch.float64).reshape(-1)
    grad = torch.zeros_like(base)
    with torch.no_grad():
        f0 = float(f(base.reshape(x.shape)))
        for i in range(base.numel()):
            step = torch.zeros_like(base)
            step[i] = h
            grad[i] = (float(f((base + step).reshape(x.shape))) - f0) / h
    return grad.reshape(x.shape)
