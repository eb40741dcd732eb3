# Misconception: no clamp of the logs: log(0) = -inf gives inf, and 0 * log(0) gives nan.
# Diagnosis: log_not_clamped
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100, like nn.BCELoss()."""
    return -(y * torch.log(probs) + (1 - y) * torch.log(1 - probs)).mean()
