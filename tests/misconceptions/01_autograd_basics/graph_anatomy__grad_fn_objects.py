# Misconception: storing the grad_fn objects themselves instead of their class names.
# Diagnosis: grad_fn_object_not_name
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
        "grad_fn": {n: t.grad_fn for n, t in nodes.items()},
    }
