# Misconception: returning the number of correct predictions instead of the fraction.
# Diagnosis: returns_count_not_fraction
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    pred = (probs.detach().reshape(-1) >= 0.5).float()
    return float((pred == y).sum().item())
