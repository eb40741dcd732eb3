# Misconception: clamping the caller's probabilities in place (clamp_) to keep the logs finite, which changes the caller's tensor.
# Diagnosis: clamps_probs_not_logs
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100, like nn.BCELoss()."""
    with torch.no_grad():
        probs.clamp_(1e-7, 1 - 1e-7)
    return -(y * torch.log(probs) + (1 - y) * torch.log(1 - probs)).mean()
