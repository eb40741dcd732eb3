# Misconception: clamping the caller's logits in place (clamp_) so that exp(z) cannot overflow, which changes the caller's tensor.
# Diagnosis: mutates_caller_state
def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y, computed stably from the logits z, like nn.BCEWithLogitsLoss()."""
    with torch.no_grad():
        z.clamp_(-20.0, 20.0)
    return (torch.log(1 + torch.exp(z)) - y * z).mean()
