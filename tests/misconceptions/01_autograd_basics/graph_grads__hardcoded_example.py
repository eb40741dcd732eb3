# Misconception: answering the worked example by hand instead of computing the gradient.
# Diagnosis: hard_coded_answer
def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    return 5.0, 2.0
