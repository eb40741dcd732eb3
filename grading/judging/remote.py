"""The student's objects as the grader holds them while a hidden test runs (grading/judging/runner.py).

A function or class of the notebook is a `StudentFunction`: calling it calls it in the kernel. An object that is
not data stays in the kernel as a `RemoteObject`, which equals nothing but itself. An instance of the student's
nn.Module class is a `RemoteModule`: parameters and submodules here, forward in the kernel. A result that
requires grad is tied into the grader's autograd graph by `_RemoteGraph`, whose backward asks the kernel for the
vector-Jacobian product. `agent()` is the kernel's side (grading/judging/agent.py) as a module of this process
too, so that pickles can name its rebuilding functions.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any

AGENT_SOURCE = (Path(__file__).parent / "agent.py").read_text(encoding="utf-8")


def agent() -> types.ModuleType:
    """The agent's source as a module of this process too, under the kernel's name, so that pickles can name
    its rebuilding functions."""
    module = sys.modules.get("_grading_agent")
    if module is None:
        module = types.ModuleType("_grading_agent")
        exec(compile(AGENT_SOURCE, str(Path(__file__).parent / "agent.py"), "exec"), module.__dict__)  # noqa: S102 (our file)
        sys.modules["_grading_agent"] = module
    return module



class NameRef:
    """A name of the notebook, looked up in the kernel when a pickle holding it arrives."""

    def __init__(self, name: str):
        self.__name__ = name



class RemoteObject:
    """An object of the student's that is not data (an instance of their own class): it stays in the kernel,
    and compares equal to nothing but itself."""

    def __init__(self, key: int | None, kind: str, text: str):
        self._grading_handle, self._grading_type, self._grading_repr = key, kind, text

    def __repr__(self) -> str:
        return self._grading_repr or f"<{self._grading_type} object in the student's kernel>"


# ---- results that require grad ---------------------------------------------------------------------------------

def _remote_graph_function():
    import torch
    from torch.autograd.function import once_differentiable

    class _RemoteGraph(torch.autograd.Function):
        """Results of one call, computed in the kernel: backward asks the kernel for the gradients of the call's
        inputs (its tensors that require grad and its modules' parameters)."""

        @staticmethod
        def forward(ctx, link, values, *inputs):
            ctx.link = link
            outs = tuple(v.clone() for v in values)
            ctx.mark_non_differentiable(*[o for o in outs if not (o.is_floating_point() or o.is_complex())])
            return outs

        @staticmethod
        @once_differentiable
        def backward(ctx, *grads):
            runner, graph, inputs, mask = ctx.link
            got = runner.backward(graph, list(grads), inputs, mask)
            return (None, None, *got)

    return _RemoteGraph


_REMOTE_GRAPH = None
_NAMED_GRAPHS: dict[str, Any] = {}


def _remote_graph_named(name: Any):
    """The remote graph function whose backward node bears the kernel's name for it (a test may name a
    result's grad_fn in its message, as it would in the kernel)."""
    if type(name) is not str or not re.fullmatch(r"\w{1,80}", name):
        return _REMOTE_GRAPH
    if name not in _NAMED_GRAPHS and len(_NAMED_GRAPHS) < 512:
        cls = type(f"_Remote{name}", (_REMOTE_GRAPH,), {})
        cls._backward_cls.__name__ = cls._backward_cls.__qualname__ = name
        _NAMED_GRAPHS[name] = cls
    return _NAMED_GRAPHS.get(name, _REMOTE_GRAPH)


def _remote_module_class():
    import torch

    class RemoteModule(torch.nn.Module):
        """An instance of the student's nn.Module class: parameters and submodules here (the test may read and
        change them), forward in the kernel, which gets this module's state before each call."""

        def __init__(self, runner: Any, key: int, cls: str):
            super().__init__()
            self._grading_runner, self._grading_handle, self._grading_class = runner, key, cls

        def forward(self, *args, **kwargs):
            return self._grading_runner.call(self, args, kwargs, f"{self._grading_class.rpartition('.')[2]}(...)")

        def _get_name(self) -> str:
            return self._grading_class.rpartition(".")[2]

    return RemoteModule


_REMOTE_MODULE = None


def _remote_module_type():
    global _REMOTE_MODULE
    if _REMOTE_MODULE is None:
        _REMOTE_MODULE = _remote_module_class()
    return _REMOTE_MODULE


class StudentFunction:
    """A function or class of the notebook: calling it calls it in the kernel."""

    def __init__(self, runner: Any, name: str):
        self._runner, self.__name__ = runner, name

    def __call__(self, *args, **kwargs):
        return self._runner.call(NameRef(self.__name__), args, kwargs, f"{self.__name__}(...)")

    def __repr__(self) -> str:
        return f"<{self.__name__} in the student's kernel>"



def remote_graph() -> Any:
    """The autograd Function of remote results, made once per process (it needs torch)."""
    global _REMOTE_GRAPH
    if _REMOTE_GRAPH is None:
        _REMOTE_GRAPH = _remote_graph_function()
    return _REMOTE_GRAPH
