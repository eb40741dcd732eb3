# Misconception: reusing the caller's tensor with in-place exp_ and add_, which changes x (or fails on a leaf).
# Diagnosis: mutates_caller_state
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    if x.requires_grad:
        return torch.exp(x) + 1
    return x.exp_().add_(1)
