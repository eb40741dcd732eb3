# Misconception: perturbing x in its own dtype, so a float32 x gives float32 round-off noise of about eps/h.
# Diagnosis: not_converted_to_float64
def numerical_grad(f, x: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """Return the centred finite-difference gradient of the scalar f at x, in float64, with x's shape; x is not modified."""
    base = x.detach().reshape(-1)
    grad = torch.zeros_like(base)
    with torch.no_grad():
        for i in range(base.numel()):
            step = torch.zeros_like(base)
            step[i] = h
            grad[i] = (f((base + step).reshape(x.shape)) - f((base - step).reshape(x.shape))) / (2 * h)
    return grad.reshape(x.shape)
