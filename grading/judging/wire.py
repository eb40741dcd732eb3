"""The wire between the grader and the kernel: what goes out (pickles of the test's arguments, the grader's
tensors as they are, the kernel's own objects as references) and what comes back (data only, decoded here:
JSON of Python scalars, strings and containers, tensors and arrays as raw buffers with dtype and shape, modules
as their state; nothing unpickled, evaluated or imported), and the side effects a call reported, applied to the
grader's copies of its arguments.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
import sys
import types
from typing import Any

import numpy as np

from grading.judging.remote import NameRef, RemoteObject, StudentFunction, _remote_module_type, agent

MAX_ANSWER_BYTES = 64 * 2**20  # the largest answer read from the kernel


class KernelAnswerError(Exception):
    """An answer of the kernel that is not the data it should be."""


# ---- out: pickles ----------------------------------------------------------------------------------------------

def _pickler_class():
    import cloudpickle
    import torch

    class Pickler(cloudpickle.Pickler):
        """cloudpickle (the test's lambdas and classes travel by value) that keeps a tensor's .grad and sends the
        kernel's own objects back as references."""

        def __init__(self, file):
            super().__init__(file, protocol=5)
            self._raw: set[int] = set()  # the plain tensors made here, pickled as they are
            self._keep: list = []  # alive until the pickle is done, so their ids stay theirs

        def reducer_override(self, obj):
            if id(obj) in self._raw:
                return NotImplemented
            kind = type(obj)
            if isinstance(obj, torch.Tensor):
                with torch._C.DisableTorchFunctionSubclass():
                    value = obj.detach().as_subclass(torch.Tensor)
                    grad = None if obj.grad is None else obj.grad.detach().as_subclass(torch.Tensor)
                    requires_grad = obj.requires_grad
                self._raw.update({id(value), id(grad)})
                self._keep.extend([value, grad])
                subclass = None if kind in (torch.Tensor, torch.nn.Parameter) else kind
                return agent().tensor, (value, requires_grad, grad, kind is torch.nn.Parameter, subclass)
            if isinstance(obj, _remote_module_type()):
                return agent().handle, (obj._grading_handle, _module_state(obj))
            if isinstance(obj, RemoteObject):
                return agent().handle, (obj._grading_handle, None)
            if kind is NameRef or kind is StudentFunction:
                return agent().lookup, (obj.__name__,)
            return super().reducer_override(obj)

        def _dynamic_function_reduce(self, func):
            """cloudpickle's, with the scan for submodules a function uses done once per function code: it walks
            all of sys.modules (3000 entries once torch is in) for every lambda of every call, a tenth of what
            grading a notebook costs here. cloudpickle is pinned (requirements.txt); this mirrors its 3.1
            `_function_getstate`."""
            cp = cloudpickle.cloudpickle
            state, slotstate = {"".join(k): v for k, v in func.__dict__.items()}, {
                "__name__": "".join(func.__name__), "__qualname__": "".join(func.__qualname__),
                "__annotations__": func.__annotations__, "__kwdefaults__": func.__kwdefaults__,
                "__defaults__": func.__defaults__, "__module__": func.__module__, "__doc__": func.__doc__,
                "__closure__": func.__closure__}
            f_globals = {k: func.__globals__[k] for k in cp._extract_code_globals(func.__code__)
                         if k in func.__globals__}
            closure = [cp._get_cell_contents(c) for c in func.__closure__ or ()]
            modules = tuple(v for v in (*f_globals.values(), *closure) if isinstance(v, types.ModuleType))
            key = (func.__code__, tuple(m.__name__ for m in modules), len(sys.modules))
            if key not in _SUBMODULES:
                if len(_SUBMODULES) > 4096:
                    _SUBMODULES.clear()
                _SUBMODULES[key] = cp._find_imported_submodules(func.__code__, modules)
            slotstate["_cloudpickle_submodules"] = _SUBMODULES[key]
            slotstate["__globals__"] = f_globals
            return (cp._make_function, self._function_getnewargs(func), (state, slotstate), None, None,
                    cp._function_setstate)

    return Pickler


_SUBMODULES: dict[tuple, list] = {}


_PICKLER = None


def dumps(obj: Any) -> str:
    global _PICKLER
    if _PICKLER is None:
        _PICKLER = _pickler_class()
    buf = io.BytesIO()
    _PICKLER(buf).dump(obj)
    return base64.b64encode(buf.getvalue()).decode()


def _module_state(m) -> dict:
    """A local module's state in the form the agent loads into the kernel's object (tensors pickled)."""
    return {"training": m.training,
            "params": [[n, {"value": p.detach(), "requires_grad": p.requires_grad,
                            "grad": None if p.grad is None else p.grad.detach()}]
                       for n, p in m.named_parameters(recurse=False)],
            "buffers": [[n, b] for n, b in m.named_buffers(recurse=False) if b is not None],
            "children": [[n, _module_state(c)] for n, c in m.named_children()]}


# ---- in: data only ---------------------------------------------------------------------------------------------

_DTYPES = {"float16": np.float16, "float32": np.float32, "float64": np.float64, "bfloat16": np.int16,
           "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64, "uint8": np.uint8,
           "bool": np.bool_, "complex64": np.complex64, "complex128": np.complex128}


def _need(cond: bool, what: str) -> None:
    if not cond:
        raise KernelAnswerError(what)


def _buffer(node: dict, np_dtype) -> np.ndarray:
    shape = node.get("shape")
    _need(isinstance(shape, list) and len(shape) <= 16 and all(type(d) is int and d >= 0 for d in shape),
          "a bad shape")
    _need(isinstance(node.get("data"), str), "a buffer without data")
    raw = base64.b64decode(node["data"], validate=True)
    _need(len(raw) == int(np.prod(shape, dtype=np.int64)) * np.dtype(np_dtype).itemsize,
          "a buffer whose size does not match its shape")
    return np.frombuffer(raw, dtype=np_dtype).reshape(shape).copy()


def _tensor(node: dict):
    import torch

    _need(node.get("dtype") in _DTYPES, f"an unknown dtype {node.get('dtype')!r}")
    t = torch.from_numpy(_buffer(node, _DTYPES[node["dtype"]]))
    if node["dtype"] == "bfloat16":
        t = t.view(torch.bfloat16)
    return t



class Decoder:
    """Data from one answer, with references to the grader's objects resolved."""

    def __init__(self, runner: Any, tracked: list, graph_outputs: list | None = None):
        self.runner, self.tracked, self.graph_outputs = runner, tracked, graph_outputs or []

    def __call__(self, node: Any, depth: int = 0) -> Any:
        _need(depth < 64, "data nested too deeply")
        if node is None or type(node) in (bool, int, float, str):
            return node
        _need(type(node) is dict and type(node.get("$")) is str, f"not data: {type(node).__name__}")
        kind = node["$"]
        items = node.get("items")
        if kind in ("tuple", "list", "set", "frozenset", "size"):
            _need(type(items) is list, f"a {kind} without items")
            values = [self(v, depth + 1) for v in items]
            if kind == "size":
                import torch

                _need(all(type(v) is int for v in values), "a size that is not ints")
                return torch.Size(values)
            return {"tuple": tuple, "list": list, "set": set, "frozenset": frozenset}[kind](values)
        if kind == "dict":
            _need(type(items) is list and all(type(p) is list and len(p) == 2 for p in items), "a bad dict")
            return {self(k, depth + 1): self(v, depth + 1) for k, v in items}
        if kind == "tensor":
            if "graph_output" in node:
                k = node["graph_output"]
                _need(type(k) is int and 0 <= k < len(self.graph_outputs), "a bad graph output")
                return self.graph_outputs[k]
            return _plain_tensor(node)
        if kind in ("ref", "gradref"):
            k = node.get("k")
            _need(type(k) is int and 0 <= k < len(self.tracked), "a reference to no argument")
            return self.tracked[k] if kind == "ref" else self.tracked[k].grad
        if kind == "ndarray":
            _need(_np_dtype(node.get("dtype")), "a bad array dtype")
            return _buffer(node, np.dtype(node["dtype"]))
        if kind == "npscalar":
            _need(_np_dtype(node.get("dtype")), "a bad scalar dtype")
            node = dict(node, shape=[])
            return _buffer(node, np.dtype(node["dtype"]))[()]
        if kind == "complex":
            _need(type(node.get("re")) in (int, float) and type(node.get("im")) in (int, float), "a bad complex")
            return complex(node["re"], node["im"])
        if kind == "dtype":
            import torch

            value = getattr(torch, str(node.get("name")), None)
            _need(isinstance(value, torch.dtype), "an unknown dtype")
            return value
        if kind == "device":
            import torch

            _need(type(node.get("name")) is str and len(node["name"]) < 40, "a bad device")
            return torch.device(node["name"])
        if kind == "module":
            return self.module(node, depth)
        if kind == "object":
            key = node.get("handle")
            _need(key is None or type(key) is int, "a bad handle")
            return RemoteObject(key, str(node.get("type"))[:80], str(node.get("repr", ""))[:500])
        raise KernelAnswerError(f"an unknown kind of data {kind!r}")

    def module(self, node: dict, depth: int):
        import torch

        cls = _torch_module_class(node.get("class")) if node.get("builtin") else None
        if cls is not None:
            m = cls.__new__(cls)
            torch.nn.Module.__init__(m)
        else:
            _need(type(node.get("handle")) is int, "a module without a handle")
            m = _remote_module_type()(self.runner, node["handle"], str(node.get("class"))[:200])
        for name, value in _pairs(node.get("attrs")):
            if name.isidentifier() and not name.startswith("_") and name != "training":
                setattr(m, name, self(value, depth + 1))
        m.training = bool(node.get("training", True))
        for name, state in _pairs(node.get("params")):
            _need(type(state) is dict, "a bad parameter")
            param = torch.nn.Parameter(_plain_tensor(state.get("value")), requires_grad=bool(state.get("requires_grad")))
            if state.get("grad") is not None:
                param.grad = _plain_tensor(state["grad"])
            m.register_parameter(name, param)
        for name, b in _pairs(node.get("buffers")):
            m.register_buffer(name, _plain_tensor(b))
        for name, child in _pairs(node.get("children")):
            _need(type(child) is dict and child.get("$") == "module", "a bad submodule")
            m.add_module(name, self.module(child, depth + 1))
        return m


def _np_dtype(text: Any) -> bool:
    """A numpy dtype string of numbers or bools ('<f4', '|b1'), nothing numpy would parse further."""
    return type(text) is str and re.fullmatch(r"[<>|=][biufc](1|2|4|8|16)", text) is not None


def _pairs(items: Any) -> list[tuple[str, Any]]:
    _need(type(items) is list and all(type(p) is list and len(p) == 2 and type(p[0]) is str for p in items),
          "a bad list of named values")
    _need(all(re.fullmatch(r"\w{1,200}", p[0]) for p in items), "a bad name")
    return [(p[0], p[1]) for p in items]


def _plain_tensor(node: dict):
    _need(type(node) is dict and node.get("$") == "tensor", "a tensor expected")
    t = _tensor(node)
    if node.get("requires_grad") and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(True)
    if node.get("grad") is not None:
        grad = _tensor(node["grad"])
        with contextlib.suppress(RuntimeError, TypeError):
            t.grad = grad
    return t


def _torch_module_class(name: Any):
    import torch

    if type(name) is not str or not name.startswith("torch.nn.modules."):
        return None
    module, _, qualname = name.rpartition(".")
    cls = getattr(sys.modules.get(module), qualname, None)  # imported by torch.nn already; never imported here
    return cls if isinstance(cls, type) and issubclass(cls, torch.nn.Module) else None


# ---- the grader's objects the kernel changed ---------------------------------------------------------------------

def _same(a, b) -> bool:
    """Equal shape, dtype and values (NaN equal to NaN)."""
    import torch

    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.is_floating_point() or a.is_complex():
        return bool(((a == b) | (a.isnan() & b.isnan())).all())
    return torch.equal(a, b)


def _apply_tensor(t, state: dict) -> None:
    import torch

    _need(type(state) is dict, "a bad tensor state")
    value = _tensor(state["value"]) if state.get("value") is not None else None
    with torch._C.DisableTorchFunctionSubclass():  # a test's tensor subclass takes the new state as it is
        _set_tensor_state(t, value, state)


def _set_tensor_state(t, value, state: dict) -> None:
    import torch

    if value is not None and not _same(t.detach(), value):
        with torch.no_grad():
            if value.shape == t.shape and value.dtype == t.dtype:
                t.detach().copy_(value)  # in place, as the kernel did: views and saved tensors see it
            else:
                t.data = value
    want = bool(state.get("requires_grad"))
    if want != t.requires_grad and t.is_leaf and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(want)
    grad = None if state.get("grad") is None else _tensor(state["grad"])
    if grad is None:
        if t.grad is not None:
            t.grad = None
    elif t.grad is not None and t.grad.shape == grad.shape and t.grad.dtype == grad.dtype:
        if not _same(t.grad, grad):
            t.grad.copy_(grad)  # in place: a result that is this .grad (returned earlier) sees the change
    else:
        with contextlib.suppress(RuntimeError, TypeError):
            t.grad = grad


def _apply_module(m, state: dict, decode: Decoder) -> None:
    _need(type(state) is dict, "a bad module state")
    m.training = bool(state.get("training", m.training))
    params = dict(m.named_parameters(recurse=False))
    for name, ps in _pairs(state.get("params")):
        if name in params:
            _apply_tensor(params[name], ps)
    buffers = dict(m.named_buffers(recurse=False))
    for name, b in _pairs(state.get("buffers")):
        if name in buffers:
            _apply_tensor(buffers[name], {"value": b, "requires_grad": False, "grad": None})
    for name, value in _pairs(state.get("attrs")):
        if name.isidentifier() and not name.startswith("_"):
            with contextlib.suppress(Exception):
                setattr(m, name, decode(value))
    children = dict(m.named_children())
    for name, cs in _pairs(state.get("children")):
        if name in children:
            _apply_module(children[name], cs, decode)


