# Right answer: w.sub_(w.grad, alpha=lr) inside torch.no_grad() instead of w -= lr * w.grad.
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    with torch.no_grad():
        w.sub_(w.grad, alpha=lr)
        w.grad = None
    return w
