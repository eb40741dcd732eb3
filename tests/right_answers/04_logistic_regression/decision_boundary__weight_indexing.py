# Right answer: indexes weight[0, 0], weight[0, 1] and bias[0] directly with float(), instead of reshape().tolist().
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5.

    Raise ValueError when the weight of x2 is 0 (a vertical boundary has no slope).
    """
    weight = model.features.weight.detach()
    w1, w2 = float(weight[0, 0]), float(weight[0, 1])
    b = float(model.features.bias.detach()[0])
    if w2 == 0.0:
        raise ValueError("vertical decision boundary: the weight of x2 is 0")
    return -w1 / w2, -b / w2
