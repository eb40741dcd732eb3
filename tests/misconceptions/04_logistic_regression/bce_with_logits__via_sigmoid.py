# Misconception: going through p = sigmoid(z) and the clamped BCE, which loses large logits (sigmoid(30) rounds to 1).
# Diagnosis: unstable_via_sigmoid
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    p = torch.sigmoid(z)
    log_p = torch.clamp(torch.log(p), min=-100)
    log_1mp = torch.clamp(torch.log(1 - p), min=-100)
    return -(y * log_p + (1 - y) * log_1mp).mean()
