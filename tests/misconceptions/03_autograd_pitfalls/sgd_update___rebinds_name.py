# Misconception: w = w - lr * w.grad, which builds a new non-leaf tensor and leaves the caller's w unchanged.
# Diagnosis: rebinds_instead_of_inplace, returns_other_object
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    w = w - lr * w.grad
    return w
