# Right answer: torch.add(x.exp(), torch.ones_like(x)), the out-of-place method form, instead of torch.exp(x) + 1.
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    y = x.exp()
    return torch.add(y, torch.ones_like(x))
