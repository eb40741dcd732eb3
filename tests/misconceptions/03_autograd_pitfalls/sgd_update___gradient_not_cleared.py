# Misconception: updating correctly but leaving the old gradient in w.grad, so the next backward adds to it.
# Diagnosis: grad_accumulates
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    with torch.no_grad():
        w -= lr * w.grad
    return w
