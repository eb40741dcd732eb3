# Misconception: a result requires grad only when all of its inputs do (and instead of or).
# Diagnosis: requires_grad_needs_all_inputs
def requires_grad_flags(w_requires: bool, x_requires: bool) -> dict[str, bool]:
    """Return {"a": ..., "b": ..., "y": ...}: the requires_grad flags of a = w + x, b = w + 1, y = a * b
    when the leaf w requires grad only if w_requires and the leaf x only if x_requires."""
    a = bool(w_requires and x_requires)
    b = bool(w_requires)
    return {"a": a, "b": b, "y": a and b}
