# Misconception: clamping the probabilities to [1e-7, 1 - 1e-7] instead of clamping each log at -100.
# Diagnosis: clamps_probs_not_logs
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100, like nn.BCELoss()."""
    p = probs.clamp(1e-7, 1 - 1e-7)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
