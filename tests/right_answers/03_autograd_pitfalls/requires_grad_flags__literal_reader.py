# Right answer: a literal reader: leaves 1.0 and 2.0 with requires_grad set from the two flags as given, the flags read back from PyTorch.
def requires_grad_flags(w_requires: bool, x_requires: bool) -> dict[str, bool]:
    """Return {"a": ..., "b": ..., "y": ...}: the requires_grad flags of a = w + x, b = w + 1, y = a * b
    when the leaf w requires grad only if w_requires and the leaf x only if x_requires."""
    w = torch.tensor(1.0, requires_grad=w_requires)
    x = torch.tensor(2.0, requires_grad=x_requires)
    a = w + x
    b = w + 1
    y = a * b
    return {"a": a.requires_grad, "b": b.requires_grad, "y": y.requires_grad}
