# Misconception: dividing tensors without checking w2, which returns inf or nan instead of raising ValueError.
# Diagnosis: no_zero_weight_check
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5.

    Raise ValueError when the weight of x2 is 0 (a vertical boundary has no slope).
    """
    w = model.features.weight.detach().reshape(-1)
    b = model.features.bias.detach().reshape(-1)[0]
    return (-w[0] / w[1]).item(), (-b / w[1]).item()
