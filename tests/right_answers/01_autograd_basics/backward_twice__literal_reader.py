# Right answer: a literal reader: the text says the numbers may be integers, to go through one graph twice (with
# retain_graph, as the section shows) and to read the first number out before the second pass.
def backward_twice(w: float, x: float) -> tuple[float, float]:
    """Return w.grad after the first and after the second backward through one graph (retain_graph)."""
    w = torch.tensor(float(w), requires_grad=True)
    x = torch.tensor(float(x), requires_grad=True)
    y = (w + x) * (w + 1)
    y.backward(retain_graph=True)
    first = w.grad.item()
    y.backward()
    second = w.grad.item()
    return first, second
