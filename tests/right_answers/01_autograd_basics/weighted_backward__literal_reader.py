# Right answer: a literal reader: the text says one-element float tensors for w and x (the numbers may be integers),
# grad_tensors turned from the pair into a tensor with torch.tensor(weights), and w.grad returned as a float.
def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w = torch.tensor([float(w)], requires_grad=True)
    x = torch.tensor([float(x)], requires_grad=True)
    a = w + x
    b = w + 1
    loss = torch.cat([a * b, a + b])
    torch.autograd.backward(loss, grad_tensors=torch.tensor(weights))
    return w.grad.item()
