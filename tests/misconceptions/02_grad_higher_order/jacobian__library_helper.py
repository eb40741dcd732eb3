# Misconception: calling the library Jacobian instead of building it from torch.autograd.grad as asked.
# Diagnosis: library_helper_used
def jacobian(f, x: torch.Tensor) -> torch.Tensor:
    """Return the (m, n) Jacobian of f: R^n -> R^m at the 1-D tensor x, built row by row with torch.autograd.grad."""
    return torch.autograd.functional.jacobian(f, x)
