# Misconception: the literal formula log(1 + exp(z)) - y z, whose exp(z) overflows to inf for large z.
# Diagnosis: exp_overflow
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    return (torch.log(1 + torch.exp(z)) - y * z).mean()
