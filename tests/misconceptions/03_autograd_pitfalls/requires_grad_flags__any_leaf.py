# Misconception: everything requires grad as soon as any leaf does, ignoring that b = w + 1 does not use x.
# Diagnosis: requires_grad_is_global
def requires_grad_flags(w_requires: bool, x_requires: bool) -> dict[str, bool]:
    """Return {"a": ..., "b": ..., "y": ...}: the requires_grad flags of a = w + x, b = w + 1, y = a * b
    when the leaf w requires grad only if w_requires and the leaf x only if x_requires."""
    anything = bool(w_requires or x_requires)
    return {"a": anything, "b": anything, "y": anything}
