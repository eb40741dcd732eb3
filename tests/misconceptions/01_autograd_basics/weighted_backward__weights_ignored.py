# Misconception: summing the outputs before backward, which weights every output by 1.
# Diagnosis: grad_tensors_ignored
def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w_t = torch.tensor([float(w)], requires_grad=True)
    x_t = torch.tensor([float(x)], requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    torch.cat([a * b, a + b]).sum().backward()
    return w_t.grad.item()
