# Misconception: perturbing x.double() in place and undoing it by subtraction; for a float64 x that is the caller's tensor, left changed by round-off.
# Diagnosis: mutates_caller_state
def numerical_grad(f, x: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """Return the centred finite-difference gradient of the scalar f at x, in float64, with x's shape; x is not modified."""
    xd = x.double()
    flat = xd.view(-1)
    grad = torch.zeros_like(flat)
    with torch.no_grad():
        for i in range(flat.numel()):
            flat[i] += h
            f_plus = float(f(xd))
            flat[i] -= 2 * h
            f_minus = float(f(xd))
            flat[i] += h
            grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)
