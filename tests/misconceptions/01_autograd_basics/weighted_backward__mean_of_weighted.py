# Misconception: weighting the outputs by hand and then taking .mean() out of habit, which halves what grad_tensors gives (a weighted sum).
# Diagnosis: mean_instead_of_sum
def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w_t = torch.tensor([float(w)], requires_grad=True)
    x_t = torch.tensor([float(x)], requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    loss = torch.cat([a * b, a + b])
    (loss * torch.tensor([float(v) for v in weights])).mean().backward()
    return w_t.grad.item()
