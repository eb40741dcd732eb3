# Right answer: torch.where for the predictions, flatten() instead of reshape, float() of the count divided by len(y).
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    p = probs.detach().flatten()
    pred = torch.where(p >= 0.5, torch.ones_like(p), torch.zeros_like(p))
    hits = (pred == y.flatten().to(p.dtype)).sum()
    return float(hits) / len(y.flatten())
