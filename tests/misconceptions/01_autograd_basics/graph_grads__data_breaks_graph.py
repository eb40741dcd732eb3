# Misconception: building b = w.data + 1 (as old tutorials do), which silently cuts the path from y back to w through b.
# Diagnosis: graph_cut_by_detach
def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    a = w_t + x_t
    b = w_t.data + 1
    y = a * b
    y.backward()
    return w_t.grad.item(), x_t.grad.item()
