# Right answer: log(1 - p) as torch.log1p(-p), clamp_min instead of torch.clamp, and torch.mean of the negated sum.
def bce(probs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -[y log p + (1 - y) log(1 - p)], each log clamped at -100, like nn.BCELoss()."""
    log_p = probs.log().clamp_min(-100.0)
    log_q = torch.log1p(-probs).clamp_min(-100.0)
    return torch.mean(-(y * log_p) - (1 - y) * log_q)
