# Misconception: thresholding with probs.round(), which rounds 0.5 down to 0 (half to even).
# Diagnosis: half_counted_as_class0
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    pred = probs.detach().reshape(-1).round()
    return (pred == y).sum().item() / y.numel()
