# Misconception: returning the .grad tensors themselves instead of Python floats.
# Diagnosis: returns_tensor_not_float
def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward()
    return w_t.grad, x_t.grad
