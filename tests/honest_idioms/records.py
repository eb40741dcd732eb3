# Records to hold results: a dataclass, a NamedTuple class, a namedtuple, a TypedDict-free dict.
from collections import namedtuple
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Step:
    loss: float
    accuracy: float
    notes: list = field(default_factory=list)

    def __post_init__(self):
        assert self.loss >= 0


class Boundary(NamedTuple):
    slope: float
    intercept: float


Point = namedtuple("Point", ["x", "y"])
history = [Step(0.5, 0.9), Step(0.1, 0.99)]
best = max(history, key=lambda s: s.accuracy)
