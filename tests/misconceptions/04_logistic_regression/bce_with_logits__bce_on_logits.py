# Misconception: plugging the logits into the BCE formula as if they were probabilities.
# Diagnosis: logits_as_probabilities
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    log_p = torch.clamp(torch.log(z), min=-100)
    log_1mp = torch.clamp(torch.log(1 - z), min=-100)
    return -(y * log_p + (1 - y) * log_1mp).mean()
