"""Which hidden checks take the kernel's word: those whose verdict reads, after a call, an object the call could
have changed.

The grader holds its own copy of every tensor and module it passes to the student's function; after the call,
the kernel reports what the call did to them (a tensor changed in place, a model's new weights) and the grader
applies that to its copy. A check that reads such an object afterwards (`w` after `sgd_update_(w, ...)`, the
model after `train(model, ...)`, a caller's tensor it wants left untouched) decides on the kernel's report; a
check that passes temporaries (`f(x.clone())`) or never looks at its arguments again decides on returned data
alone. In a notebook the tamper screen flagged, only the first kind scores 0 (grading/judging/integrity.py).

Decided per call, from the test's source (which names it reads after the call expression) and its namespaces
(which names hold an object the call received), conservatively: a read inside a function or comprehension of
the test counts as after the call, and so does a read anywhere in a loop around the call, unless each
iteration binds the name afresh before reading it. Reads in an assert's message do not count: the message is
computed after the verdict, to name the mistake.
"""

from __future__ import annotations

import ast
import functools
import sys
from dataclasses import dataclass
from typing import Any

TEST_FILENAME = "<hidden test>"  # the filename the hidden tests are compiled with (grading/judging/runner.py)


Position = tuple[int, int, int, int]  # line, column, end line, end column of a call expression


Point = tuple[int, int]  # line, column


@dataclass(frozen=True)
class _Loop:
    start: Point
    end: Point
    reads: dict[str, tuple[Point, ...]]  # the reads each iteration runs again (a for loop's iterable runs once)
    rebinds: dict[str, tuple[Point, ...]]  # where each iteration binds the name afresh: the loop's own target, or
    # an assignment among the body's own statements (not one inside an if, try or inner loop), where it ends


@dataclass(frozen=True)
class _Loads:
    at: dict[str, list[Point]]  # name -> (line, column) of each read
    anywhere: frozenset[str]  # names read inside a function, lambda or comprehension of the test (run any time)
    loops: tuple[_Loop, ...]


_RUN_ANY_TIME = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                 ast.GeneratorExp)


def _names(node: ast.AST, skip: frozenset[int] = frozenset()) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(node)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in skip)


def _in_messages(tree: ast.AST) -> frozenset[int]:
    """The names read by the messages of asserts: a message is computed once the assert has failed, so what it
    reads (a hint that the caller's tensor changed) cannot change a verdict."""
    return frozenset(id(n) for a in ast.walk(tree) if isinstance(a, ast.Assert) and a.msg is not None
                     for n in ast.walk(a.msg) if isinstance(n, ast.Name))


def _bound(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _loop(node: ast.For | ast.AsyncFor | ast.While, skip: frozenset[int]) -> _Loop:
    reads: dict[str, list[Point]] = {}
    again = [node.test] if isinstance(node, ast.While) else []
    for part in again + node.body + node.orelse:
        for n in ast.walk(part):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in skip:
                reads.setdefault(n.id, []).append((n.lineno, n.col_offset))
    rebinds: dict[str, list[Point]] = {}
    if not isinstance(node, ast.While):
        for name in _bound(node.target):
            rebinds.setdefault(name, []).append((node.lineno, node.col_offset))
    for stmt in node.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) \
            and stmt.value is not None else []
        for name in set().union(*map(_bound, targets)):
            rebinds.setdefault(name, []).append((stmt.end_lineno, stmt.end_col_offset))
    return _Loop((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset),
                 {k: tuple(v) for k, v in reads.items()}, {k: tuple(v) for k, v in rebinds.items()})


@functools.lru_cache(maxsize=1024)  # the class grader runs the same checks for every student
def _loads(source: str) -> _Loads:
    tree = ast.parse(source)
    skip = _in_messages(tree)
    at: dict[str, list[Point]] = {}
    anywhere: set[str] = set()
    loops = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in skip:
            at.setdefault(node.id, []).append((node.lineno, node.col_offset))
        elif isinstance(node, _RUN_ANY_TIME):
            anywhere |= _names(node, skip)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            loops.append(_loop(node, skip))
    return _Loads(at, frozenset(anywhere), tuple(loops))


def _read_next_time(loops: list[_Loop], name: str, start: Point) -> bool:
    """Whether a loop around the call reads `name` in a later iteration before binding it afresh: a read that
    comes before the call in the loop's text is safe only when the innermost loop around both binds the name
    first, on every iteration."""
    for loop in loops:
        for read in loop.reads.get(name, ()):
            if read >= start:
                continue  # at or after the call in the text: read_after's other rule
            inner = max((lp for lp in loops if lp.start <= read), key=lambda lp: lp.start)  # nested: latest start
            if not any(bind <= read for bind in inner.rebinds.get(name, ())):
                return True
    return False


def read_after(source: str, call: Position, names: set[str]) -> set[str]:
    """Those of `names` that the test may read after the call at `call` returned: read later in the source, in a
    later iteration of a loop around the call (unless bound afresh first), or in a function or comprehension;
    not counting the messages of asserts."""
    loads = _loads(source)
    line, end_line, col, end_col = call
    start, end = (line, col), (end_line, end_col)
    around = [lp for lp in loads.loops if lp.start <= start and end <= lp.end]
    return {n for n in names if n in loads.anywhere or any(p >= end for p in loads.at.get(n, []))
            or _read_next_time(around, n, start)}


@functools.lru_cache(maxsize=1024)
def _positions(code: Any) -> tuple:
    return tuple(code.co_positions())


def calling_position() -> tuple[Position | None, list[dict[str, Any]]]:
    """Where, at the hidden test's module level, the current call is being made (the call expression's span), and
    the local namespaces of the test's functions on the way to it."""
    position, local_spaces = None, []
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_filename == TEST_FILENAME:
            if code.co_name == "<module>":
                found = _positions(code)[frame.f_lasti // 2]
                position = found if None not in found else None
            else:
                local_spaces.append(frame.f_locals)
        frame = frame.f_back
    return position, local_spaces


def _reachable(objs: list) -> tuple[set[int], set[int]]:
    """The ids of `objs` and of what a check could read them through (a module's parameters, buffers and
    submodules, a tensor's .grad), and the storages of the tensors among them (a view shares its base's)."""
    import torch

    ids: set[int] = set()
    storages: set[int] = set()
    for obj in objs:
        parts = [obj]
        if isinstance(obj, torch.nn.Module):
            parts += list(obj.modules()) + list(obj.parameters()) + list(obj.buffers())
        for part in list(parts):
            if isinstance(part, torch.Tensor) and part.grad is not None:
                parts.append(part.grad)
        for part in parts:
            ids.add(id(part))
            if isinstance(part, torch.Tensor) and part.layout == torch.strided and part.numel():
                storages.add(part.untyped_storage().data_ptr())
    return ids, storages


def holds(value: Any, ids: set[int], storages: set[int], depth: int = 0) -> bool:
    """Whether `value` is, contains (in containers two levels deep) or views one of the objects."""
    import torch

    if id(value) in ids:
        return True
    if isinstance(value, torch.Tensor):
        return value.layout == torch.strided and value.numel() > 0 and \
            value.untyped_storage().data_ptr() in storages
    if isinstance(value, torch.nn.Module):
        return any(id(p) in ids for p in value.parameters()) or any(id(m) in ids for m in value.modules())
    if depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        return any(holds(v, ids, storages, depth + 1) for v in value)
    if depth < 2 and isinstance(value, dict):
        return any(holds(v, ids, storages, depth + 1) for v in value.values())
    return False


def reads_kernel_report(source: str, namespace: dict[str, Any], tracked: list, result: Any) -> bool:
    """Whether the check now calling may read, after this call, one of the objects the call received (`tracked`,
    whose state after the call the kernel reported): through the returned value, or through a name of the test's
    that holds one and that the test reads later."""
    if not tracked:
        return False
    ids, storages = _reachable(tracked)
    if holds(result, ids, storages):
        return True
    position, local_spaces = calling_position()
    if position is None:  # not made from a hidden test's code, as far as can be told
        return True
    if any(holds(v, ids, storages) for space in local_spaces for v in space.values()):
        return True  # held by a function of the test, which may read it anywhere
    held = {name for name, v in namespace.items() if not name.startswith("__") and holds(v, ids, storages)}
    return bool(held and read_after(source, position, held))


GLOBAL_STATE_READERS = {"get_rng_state", "is_grad_enabled", "is_inference_mode_enabled", "initial_seed"}
GLOBAL_STATE_WRITERS = {"set_rng_state", "set_grad_enabled"}


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        f = node.func
        return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
    return None


@functools.lru_cache(maxsize=1024)
def reads_global_state(source: str) -> bool:
    """Whether the check reads grad mode or the global random state (which the kernel reports after each call)
    for its verdict. Saving it to put it back (`s = torch.get_rng_state()` ... `torch.set_rng_state(s)`, and
    nothing else done with `s`) is not reading it."""
    tree = ast.parse(source)
    saved: dict[str, int] = {}  # name -> how many reads of the state it holds
    reads = 0
    for node in ast.walk(tree):
        if _called_name(node) in GLOBAL_STATE_READERS:
            reads += 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and _called_name(node.value) in GLOBAL_STATE_READERS:
            saved[node.targets[0].id] = saved.get(node.targets[0].id, 0) + 1
    restored_only = set()
    for name in saved:
        uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
        put_back = [n for n in ast.walk(tree) if _called_name(n) in GLOBAL_STATE_WRITERS and len(n.args) == 1
                    and not n.keywords and isinstance(n.args[0], ast.Name) and n.args[0].id == name]
        if uses and len(uses) == len(put_back):
            restored_only.add(name)
    return reads > sum(saved[n] for n in restored_only)
