# Right answer: returns the pair as a collections.namedtuple, which is a tuple (slope, intercept) with names.
import collections

Line = collections.namedtuple("Line", "slope intercept")


def decision_boundary(model: nn.Module) -> tuple[float, float]:
    """(slope, intercept) of the line x2 = slope * x1 + intercept where model.features(x) = 0, i.e. p = 0.5."""
    (w1, w2), b = model.features.weight.detach().reshape(-1).tolist(), model.features.bias.item()
    if w2 == 0:
        raise ValueError("the weight of x2 is 0: the decision boundary is vertical")
    return Line(slope=-w1 / w2, intercept=-b / w2)
