# Misconception: hiding the in-place add behind .data: no error, but exp's saved output is changed and the gradient is wrong.
# Diagnosis: inplace_hidden_by_data
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    y = torch.exp(x)
    y.data.add_(1)
    return y
