# Right answer: torch.autograd.backward with retain_graph, and a clone() of w.grad taken between the passes instead of .item().
def backward_twice(w: float, x: float) -> tuple[float, float]:
    """Return w.grad after the first and after the second backward through one graph (retain_graph)."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    values = []
    for keep in (True, False):
        torch.autograd.backward(y, retain_graph=keep)
        values.append(w_t.grad.clone())
    return float(values[0]), float(values[1])
