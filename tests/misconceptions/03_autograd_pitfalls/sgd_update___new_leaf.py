# Misconception: making a fresh leaf from the updated values instead of updating the caller's tensor in place.
# Diagnosis: rebinds_instead_of_inplace, returns_other_object
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    with torch.no_grad():
        new_w = w - lr * w.grad
    return new_w.requires_grad_(True)
