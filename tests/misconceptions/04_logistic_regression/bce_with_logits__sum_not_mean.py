# Misconception: summing over the batch instead of averaging.
# Diagnosis: sum_not_mean
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    return (torch.clamp(z, min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).sum()
