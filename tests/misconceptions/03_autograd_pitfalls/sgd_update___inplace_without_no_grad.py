# Misconception: updating the leaf in place with gradient tracking still on.
# Diagnosis: update_outside_no_grad
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    w.sub_(lr * w.grad)
    w.grad = None
    return w
