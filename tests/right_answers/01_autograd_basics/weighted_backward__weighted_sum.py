# Right answer: multiplies the outputs by the weights and back-propagates the scalar sum, instead of passing grad_tensors.
def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w_t = torch.tensor([float(w)], requires_grad=True)
    x_t = torch.tensor([float(x)], requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    loss = torch.cat([a * b, a + b])
    (loss * torch.tensor(weights, dtype=loss.dtype)).sum().backward()
    return float(w_t.grad[0])
