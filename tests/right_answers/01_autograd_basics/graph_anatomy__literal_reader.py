# Right answer: a literal reader: the text says the numbers may be integers (so float leaves), a and b built with +,
# y with *, and each table keyed by "w", "x", "a", "b", "y"; grad_fn named as the demo above it names it.
def graph_anatomy(w: float, x: float) -> dict:
    """Return {"is_leaf": {...}, "requires_grad": {...}, "grad_fn": {...}} for w, x, a, b, y of the worked example."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    a = w + x
    b = w + 1
    y = a * b
    tensors = {"w": w, "x": x, "a": a, "b": b, "y": y}
    result = {"is_leaf": {}, "requires_grad": {}, "grad_fn": {}}
    for name, t in tensors.items():
        result["is_leaf"][name] = t.is_leaf
        result["requires_grad"][name] = t.requires_grad
        if t.grad_fn is None:
            result["grad_fn"][name] = None
        else:
            result["grad_fn"][name] = type(t.grad_fn).__name__
    return result
