# Right answer: a literal reader: each log clamped at -100 the natural way, torch.log(p).clamp(min=-100); the text
# asks for the value at p exactly 0 or 1 and the gradient elsewhere (this answer's gradient is nan at exactly 0 or 1,
# which the text says is not checked).
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100."""
    log_p = torch.log(probs).clamp(min=-100)
    log_1mp = torch.log(1 - probs).clamp(min=-100)
    return -(y * log_p + (1 - y) * log_1mp).mean()
