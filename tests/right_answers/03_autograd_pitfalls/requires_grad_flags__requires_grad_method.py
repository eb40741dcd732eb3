# Right answer: switches the flags on with requires_grad_() on plain tensors and builds the graph with torch.add/torch.mul.
def requires_grad_flags(w_requires: bool, x_requires: bool) -> dict[str, bool]:
    """Return {"a": ..., "b": ..., "y": ...}: the requires_grad flags of a = w + x, b = w + 1, y = a * b
    when the leaf w requires grad only if w_requires and the leaf x only if x_requires."""
    w = torch.ones(()).requires_grad_(bool(w_requires))
    x = torch.full((), 2.0).requires_grad_(bool(x_requires))
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    return dict(zip("aby", (a.requires_grad, b.requires_grad, y.requires_grad)))
