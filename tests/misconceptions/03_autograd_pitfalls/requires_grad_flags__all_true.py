# Misconception: reading the notes' rule "requires_grad 默认为 True" literally: every computed node requires grad.
# Diagnosis: requires_grad_default_true
def requires_grad_flags(w_requires: bool, x_requires: bool) -> dict[str, bool]:
    """Return {"a": ..., "b": ..., "y": ...}: the requires_grad flags of a = w + x, b = w + 1, y = a * b
    when the leaf w requires grad only if w_requires and the leaf x only if x_requires."""
    return {"a": True, "b": True, "y": True}
