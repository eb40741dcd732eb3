# Misconception: dividing the centred difference by h instead of 2h.
# Diagnosis: centred_divides_by_h
def numerical_grad(f, x: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """Return the centred finite-difference gradient of the scalar f at x, in float64, with x's shape; x is not modified."""
    base = x.detach().to(torch.float64).reshape(-1)
    grad = torch.zeros_like(base)
    with torch.no_grad():
        for i in range(base.numel()):
            step = torch.zeros_like(base)
            step[i] = h
            grad[i] = (float(f((base + step).reshape(x.shape))) - float(f((base - step).reshape(x.shape)))) / h
    return grad.reshape(x.shape)
