# Right answer: a literal reader: p >= 0.5 counts as class 1, probs of shape (N,) or (N, 1) flattened, labels (N,)
# float 0/1, a Python float count / N; no detach(), since a comparison does not back-propagate.
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N."""
    pred = (probs.reshape(-1) >= 0.5).float()
    count = (pred == y).sum().item()
    return count / len(y)
