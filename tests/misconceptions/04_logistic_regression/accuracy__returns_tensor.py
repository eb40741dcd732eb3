# Misconception: returning a 0-dim tensor instead of a Python float.
# Diagnosis: returns_tensor_not_float
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    pred = (probs.detach().reshape(-1) >= 0.5).float()
    return (pred == y).float().mean()
