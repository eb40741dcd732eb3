# Misconception: mixing up which weight multiplies x1 and which x2: slope -w2 / w1.
# Diagnosis: boundary_weights_swapped
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5.

    Raise ValueError when the weight of x2 is 0 (a vertical boundary has no slope).
    """
    w1, w2 = model.features.weight.detach().reshape(-1).tolist()
    b = model.features.bias.detach().reshape(-1)[0].item()
    if w1 == 0:
        raise ValueError("the weight of x2 is 0")
    return -w2 / w1, -b / w1
