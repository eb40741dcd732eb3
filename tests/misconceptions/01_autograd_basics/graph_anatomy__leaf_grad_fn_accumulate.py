# Misconception: seeing AccumulateGrad in y.grad_fn.next_functions and taking it to be the leaves' own grad_fn.
# Diagnosis: leaf_has_grad_fn
def graph_anatomy(w: float, x: float) -> dict:
    """Return {"is_leaf": {...}, "requires_grad": {...}, "grad_fn": {...}} for w, x, a, b, y of the worked example."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    y = a * b
    nodes = {"w": w_t, "x": x_t, "a": a, "b": b, "y": y}
    return {
        "is_leaf": {n: t.is_leaf for n, t in nodes.items()},
        "requires_grad": {n: t.requires_grad for n, t in nodes.items()},
        "grad_fn": {n: (type(t.grad_fn).__name__ if t.grad_fn is not None else "AccumulateGrad") for n, t in nodes.items()},
    }
