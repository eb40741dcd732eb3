# Right answer: honest habits: a constant and a helper function of the student's own, and a warning.
import warnings

NAMES = ("w", "x", "a", "b", "y")


def _node_name(t: torch.Tensor) -> str | None:
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def graph_anatomy(w: float, x: float) -> dict:
    """Return {"is_leaf": {...}, "requires_grad": {...}, "grad_fn": {...}} for w, x, a, b, y of the worked example."""
    if isinstance(w, int) or isinstance(x, int):
        warnings.warn("integer inputs are converted to float", stacklevel=2)
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    nodes = dict(zip(NAMES, (w_t, x_t, a, b, a * b)))
    return {"is_leaf": {n: t.is_leaf for n, t in nodes.items()},
            "requires_grad": {n: t.requires_grad for n, t in nodes.items()},
            "grad_fn": {n: _node_name(t) for n, t in nodes.items()}}
