# Misconception: switching requires_grad off to allow the in-place update and forgetting to switch it back on.
# Diagnosis: requires_grad_left_off
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    w.requires_grad_(False)
    w -= lr * w.grad
    w.grad = None
    return w
