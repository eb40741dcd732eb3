# Type hints everywhere, typing.cast, Optional and containers of tensors.
from typing import Callable, Optional, Sequence
import typing

Params = Sequence[torch.Tensor]
losses: list[float] = []
current: Optional[torch.Tensor] = None


def sgd_update_(params: Params, lr: float, hook: Optional[Callable[[torch.Tensor], None]] = None) -> None:
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            if hook is not None:
                hook(p)


first = typing.cast(torch.Tensor, torch.ones(1))
