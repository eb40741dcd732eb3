# Misconception: summing over the batch instead of averaging.
# Diagnosis: sum_not_mean
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100, like nn.BCELoss()."""
    log_p = torch.clamp(torch.log(probs), min=-100)
    log_1mp = torch.clamp(torch.log(1 - probs), min=-100)
    return -(y * log_p + (1 - y) * log_1mp).sum()
