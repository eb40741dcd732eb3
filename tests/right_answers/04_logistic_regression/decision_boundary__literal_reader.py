# Right answer: a literal reader: x2 = -(w1 / w2) x1 - b / w2 read off model.features with .item(), ValueError when
# the x2 weight is 0, nothing written to the model.
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5."""
    w1 = model.features.weight[0, 0].item()
    w2 = model.features.weight[0, 1].item()
    b = model.features.bias[0].item()
    if w2 == 0:
        raise ValueError("the weight of x2 is 0: the decision boundary is vertical")
    return -w1 / w2, -b / w2
