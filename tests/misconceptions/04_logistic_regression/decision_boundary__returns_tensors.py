# Misconception: returning 0-dim tensors instead of Python floats.
# Diagnosis: returns_tensor_not_float
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5.

    Raise ValueError when the weight of x2 is 0 (a vertical boundary has no slope).
    """
    w = model.features.weight.detach().reshape(-1)
    b = model.features.bias.detach().reshape(-1)[0]
    if w[1] == 0:
        raise ValueError("the weight of x2 is 0")
    return -w[0] / w[1], -b / w[1]
