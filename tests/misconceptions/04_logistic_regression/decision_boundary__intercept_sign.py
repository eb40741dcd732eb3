# Misconception: a sign error in the intercept: +b / w2.
# Diagnosis: boundary_sign_error
def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5.

    Raise ValueError when the weight of x2 is 0 (a vertical boundary has no slope).
    """
    w1, w2 = model.features.weight.detach().reshape(-1).tolist()
    b = model.features.bias.detach().reshape(-1)[0].item()
    if w2 == 0:
        raise ValueError("the weight of x2 is 0")
    return -w1 / w2, b / w2
