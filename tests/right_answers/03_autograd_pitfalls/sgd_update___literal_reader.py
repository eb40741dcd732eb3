# Right answer: a literal reader: w.sub_(lr * w.grad) under torch.no_grad(), then w.grad = None, as the bullets say; nothing special for nn.Parameter or an int lr.
def sgd_update_(w: torch.Tensor, lr: float) -> torch.Tensor:
    """Update the leaf w in place to w - lr * w.grad without recording the update in a graph, then clear
    its gradient (w.grad becomes None). Return w itself: the same object, still a leaf that requires grad."""
    with torch.no_grad():
        w.sub_(lr * w.grad)
    w.grad = None
    return w
