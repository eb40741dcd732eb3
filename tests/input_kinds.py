"""The kinds of input each exercise's tests call it with, recorded by running a source notebook.

usage: python tests/input_kinds.py NOTEBOOK.ipynb    (prints JSON: exercise -> {"visible": [...], "hidden": [...]})

Runs the source notebook's code cells in one namespace (solutions in place), with every exercise function
wrapped by a recorder. A call made by one of the exercise's own test cells is described as a set of kinds:
for each argument, its Python type, or for a tensor its dtype, rank, emptiness, constancy, whether it
requires grad, already has a .grad, is a leaf or an nn.Parameter; whether the call raised, and which error;
and the value cases of VALUE_KINDS, which a type cannot tell (p exactly 0.5, |z| = 100, ...). Calls
made from inside another call (an answer that calls another exercise) are not counted. A test cell that
fails on the solution is reported under "errors": the kinds of a broken test mean nothing.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _tensor_values(value):
    import torch

    return value.detach() if isinstance(value, torch.Tensor) else torch.as_tensor(value)


def _any(predicate):
    """A value case that holds when `predicate` is true of the named argument's values (False if unreadable)."""

    def holds(argument) -> bool:
        try:
            return bool(predicate(_tensor_values(argument)))
        except Exception:  # noqa: BLE001 (an argument the predicate cannot read is not that case)
            return False

    return holds


# Value cases a type cannot tell: exercise -> {kind: (argument, predicate of its values)}
VALUE_KINDS = {
    "nth_derivative": {"n = 0": ("n", lambda n: n == 0), "n < 0": ("n", lambda n: n < 0)},
    "newton_minimize": {"steps = 0": ("steps", lambda s: s == 0)},
    "accumulated_grads": {"steps = 0": ("steps", lambda s: s == 0)},
    "zeroed_grads": {"steps = 0": ("steps", lambda s: s == 0)},
    "accuracy": {"a probability exactly 0.5": ("probs", _any(lambda p: (p == 0.5).any()))},
    "bce": {"a probability exactly 0 or 1": ("probs", _any(lambda p: ((p == 0) | (p == 1)).any()))},
    "bce_with_logits": {"a logit with |z| >= 100": ("z", _any(lambda z: (z.abs() >= 100).any())),
                        "a logit exactly 0": ("z", _any(lambda z: (z == 0).any()))},
    "decision_boundary": {"a model whose x2 weight is 0": (
        "model", lambda m: bool((m.features.weight.detach()[0, 1] == 0).item()))},
}


def kinds_of(value, depth: int = 0) -> set[str]:
    """What kind of input `value` is, as short phrases ("int", "float64 tensor", "tensor that requires grad")."""
    import numpy as np
    import torch

    if value is None:
        return {"None"}
    if isinstance(value, bool):
        return {"bool"}
    if isinstance(value, int):
        return {"int"}
    if isinstance(value, float):
        return {"float"}
    if isinstance(value, torch.Tensor):
        kinds = {f"{str(value.dtype).removeprefix('torch.')} tensor",
                 ("0-d", "1-d", "2-d")[min(value.dim(), 2)] + " tensor"}
        if value.numel() == 0:
            kinds.add("empty tensor")
        elif value.numel() > 1 and bool((value.detach() == value.detach().flatten()[0]).all()):
            kinds.add("constant tensor")
        kinds.add("tensor that requires grad" if value.requires_grad else "tensor that does not require grad")
        if value.grad is not None:
            kinds.add("tensor that already has a .grad")
        if not value.is_leaf:
            kinds.add("non-leaf tensor")
        if isinstance(value, torch.nn.Parameter):
            kinds.add("nn.Parameter")
        if value.device.type != "cpu":
            kinds.add(f"{value.device.type} tensor")
        return kinds
    if isinstance(value, torch.nn.Module):
        return {"nn.Module"}
    if isinstance(value, np.ndarray):
        return {"ndarray"}
    if isinstance(value, (tuple, list)) and depth < 2:
        container = type(value).__name__
        if not value:
            return {f"empty {container}"}
        return {f"{container} of {k}" for item in value for k in kinds_of(item, depth + 1)}
    if callable(value):
        return {"function"}
    return {type(value).__name__}


class Recorder:
    """Wraps exercise functions; collects the kinds of the calls each exercise's own test cells make."""

    def __init__(self):
        self.kinds: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"visible": set(), "hidden": set()})
        self.cell: tuple[str, str] | None = None  # (exercise, "visible" | "hidden") of the running test cell
        self.depth = 0

    def wrap(self, name: str, fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def recorded(*args, **kwargs):
            record = self.depth == 0 and self.cell is not None and self.cell[0] == name
            kinds: set[str] = set()
            if record:
                bound = signature.bind(*args, **kwargs)
                for parameter, value in bound.arguments.items():
                    kinds |= {f"{parameter}: {k}" for k in kinds_of(value)}
                for kind, (parameter, holds) in VALUE_KINDS.get(name, {}).items():
                    if parameter in bound.arguments and holds(bound.arguments[parameter]):
                        kinds.add(kind)
            self.depth += 1
            try:
                return fn(*args, **kwargs)
            except Exception as err:
                kinds.add(f"raises {type(err).__name__}")
                raise
            finally:
                self.depth -= 1
                if record:
                    self.kinds[name][self.cell[1]] |= kinds

        return recorded


def record(path: Path) -> dict:
    """Run the notebook at `path` with its exercises recorded; exercise -> visible/hidden kinds, and errors."""
    import matplotlib
    import nbformat

    matplotlib.use("Agg")  # the cells run in this process; MPLBACKEND would leak to kernels started after

    from grading.course.layout import HIDDEN_BEGIN, exercises, is_answer, nbgrader_meta

    nb = nbformat.read(path, as_version=4)
    part = {}
    for exercise in exercises(nb):
        for cell in exercise.tests:
            part[nbgrader_meta(cell)["grade_id"]] = (exercise.name, "hidden" if HIDDEN_BEGIN in cell.source else "visible")
    recorder, namespace, errors = Recorder(), {"__name__": "__main__"}, []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        gid = nbgrader_meta(cell).get("grade_id")
        recorder.cell = part.get(gid)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(compile(cell.source, f"<{gid or 'cell'}>", "exec"), namespace)  # noqa: S102 (the course's own)
        except Exception as err:  # noqa: BLE001
            if recorder.cell is not None:
                errors.append(f"{gid}: {type(err).__name__}: {err}")
        finally:
            recorder.cell = None
        if is_answer(cell) and inspect.isfunction(namespace.get(gid)):
            namespace[gid] = recorder.wrap(gid, namespace[gid])
        import matplotlib.pyplot as plt

        plt.close("all")
    return {"exercises": {name: {p: sorted(k) for p, k in parts.items()} for name, parts in recorder.kinds.items()},
            "errors": errors}


if __name__ == "__main__":
    print(json.dumps(record(Path(sys.argv[1])), indent=1))
