# Misconception: concatenating the outputs in the other order, so each weight hits the wrong output.
# Diagnosis: weights_swapped
def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w_t = torch.tensor([float(w)], requires_grad=True)
    x_t = torch.tensor([float(x)], requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    loss = torch.cat([a + b, a * b])
    loss.backward(gradient=torch.tensor([float(v) for v in weights]))
    return w_t.grad.item()
