# Misconception: using p > 0.5, so p = 0.5 counts as class 0.
# Diagnosis: half_counted_as_class0
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    pred = (probs.detach().reshape(-1) > 0.5).float()
    return (pred == y).sum().item() / y.numel()
