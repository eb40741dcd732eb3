# Misconception: comparing (N, 1) predictions with (N,) labels, which broadcasts to an (N, N) table.
# Diagnosis: column_row_broadcast
def accuracy(probs: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples with (probs >= 0.5) == y, as a Python float count / N; probs has shape (N,) or (N, 1)."""
    pred = (probs.detach() >= 0.5).float()
    return (pred == y).float().mean().item()
