# Misconception: y += 1 looks out of place but is the same in-place add_ that breaks exp's saved output.
# Diagnosis: inplace_on_saved_output
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    y = torch.exp(x)
    y += 1
    return y
