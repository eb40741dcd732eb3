# Right answer: a literal reader: version 2 of the exercise's list (y = torch.exp(x), then y = y + 1), nothing special for dtypes or non-leaves.
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    y = torch.exp(x)
    y = y + 1
    return y
