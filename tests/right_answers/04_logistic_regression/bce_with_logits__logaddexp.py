# Right answer: log(1 + e^z) as torch.logaddexp(0, z), a different stable form of the same loss.
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    return (torch.logaddexp(torch.zeros_like(z), z) - y * z).mean()
