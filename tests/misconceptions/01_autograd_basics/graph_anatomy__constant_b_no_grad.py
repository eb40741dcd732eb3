# Misconception: b = w + 1 adds a constant, so it is taken to be a leaf that needs no gradient.
# Diagnosis: nonleaf_taken_as_leaf
def graph_anatomy(w: float, x: float) -> dict:
    """Return {"is_leaf": {...}, "requires_grad": {...}, "grad_fn": {...}} for w, x, a, b, y of the worked example."""
    return {
        "is_leaf": {"w": True, "x": True, "a": False, "b": True, "y": False},
        "requires_grad": {"w": True, "x": True, "a": True, "b": False, "y": True},
        "grad_fn": {"w": None, "x": None, "a": "AddBackward0", "b": None, "y": "MulBackward0"},
    }
