"""The kernel's side of a hidden test run in the grader (grading/judging/runner.py): it runs in the student's
kernel, calls the student's code when the grader asks, and answers with data only.

This file is sent to the kernel as source and becomes the module `_grading_agent` there; the grader loads the
same source under the same name, so that the few functions below that rebuild objects can be named in the
pickles it sends. It imports nothing of the course.

The conversation rides on the kernel's stdin channel: `serve()` runs as one execute request per hidden test
cell and calls `input(answer)` in a loop. The prompt carries the kernel's answer (JSON), the reply the grader's
next request (JSON, with the call's arguments pickled: the grader's objects may go to the kernel in any form).
Nothing here is trusted by the grader: a submission can change any of it, and the grader only ever reads data
out of the answers.
"""

import base64
import builtins
import json
import pickle
import sys

GRADER_REQUEST = "__grading_request__"
_graphs = {}  # graph id -> (outputs, inputs): results that require grad, for the grader's backward requests
_handles = {}  # handle id -> an object of the student's that stays in the kernel (an instance of their class)


# ---- objects the grader's pickles name ---------------------------------------------------------------------

def lookup(name):
    """A name of the notebook's namespace (the student's function or class)."""
    return _user_ns()[name]


def handle(key, state):
    """An object that stays in the kernel, with the state the grader's stand-in holds now loaded into it."""
    obj = _handles[key]
    if state is not None:
        _load_module_state(obj, state)
    return obj


def tensor(value, requires_grad, grad, parameter, cls=None):
    """A tensor with its .grad, which plain pickling drops, and still a leaf when it is of a subclass (`value`
    arrives detached and plain)."""
    import torch

    if cls is not None:
        value = value.as_subclass(cls)
    t = torch.nn.Parameter(value, requires_grad=requires_grad) if parameter else value.requires_grad_(requires_grad)
    if grad is not None:
        t.grad = grad
    return t


def _user_ns():
    ip = getattr(builtins, "get_ipython", None)
    return ip().user_ns if ip is not None else sys.modules["__main__"].__dict__


# ---- the state the grader mirrors: grad mode, the global random state, the arguments' state ----------------

def _rng():
    import torch

    return torch.get_rng_state().numpy().tobytes()


_last_rng = [None]  # the random state last sent or set: it travels only when it changed


def _global_state():
    import torch

    state = {"grad": torch.is_grad_enabled()}
    rng = _rng()
    if rng != _last_rng[0]:
        state["rng"] = base64.b64encode(rng).decode()
        _last_rng[0] = rng
    return state


def _set_global_state(state):
    import torch

    if "grad" in state:
        torch.set_grad_enabled(bool(state["grad"]))
    if state.get("rng"):
        rng = base64.b64decode(state["rng"])
        torch.set_rng_state(torch.frombuffer(bytearray(rng), dtype=torch.uint8))
        _last_rng[0] = rng


def tracked(args, limit=256):
    """The tensors and modules among the arguments (in tuples, lists and dicts), in a fixed order: the grader
    walks its own arguments the same way, so position k names the same object on both sides."""
    import torch

    found, seen, stack = [], set(), [args]
    while stack and len(found) < limit:
        obj = stack.pop(0)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, (torch.Tensor, torch.nn.Module)):
            found.append(obj)
        elif isinstance(obj, (tuple, list)):
            stack[0:0] = list(obj)
        elif isinstance(obj, dict):
            stack[0:0] = list(obj.values())
    return found


def graph_inputs(objs):
    """What a result's gradient is taken with respect to: tracked tensors that require grad, then the parameters
    of tracked modules that do."""
    import torch

    inputs = []
    for obj in objs:
        if isinstance(obj, torch.nn.Module):
            inputs += [p for p in obj.parameters() if p.requires_grad]
        elif obj.requires_grad:
            inputs.append(obj)
    return inputs


def _tensor_state(t):
    return {"value": encode(t.detach(), {}), "requires_grad": bool(t.requires_grad),
            "grad": None if t.grad is None else encode(t.grad.detach(), {})}


def _plain_attrs(m):
    """A module's public attributes that are plain data (in_features, a list a test's module appends to)."""
    attrs = []
    for k, v in vars(m).items():
        if not k.startswith("_") and k != "training":
            try:
                attrs.append([k, encode(v, {}, plain=True)])
            except _NotData:
                pass
    return sorted(attrs)


def _module_state(m, child=None):
    return {
        "training": bool(m.training),
        "params": [[n, _tensor_state(p)] for n, p in m.named_parameters(recurse=False)],
        "buffers": [[n, encode(b.detach(), {})] for n, b in m.named_buffers(recurse=False) if b is not None],
        "attrs": _plain_attrs(m),
        "children": [[n, (child or _module_state)(c)] for n, c in m.named_children()],
    }


def _load_module_state(m, state):
    import torch

    m.training = state["training"]
    params = dict(m.named_parameters(recurse=False))
    with torch.no_grad():
        for name, ts in state["params"]:
            p = params[name]
            p.data = ts["value"]
            p.requires_grad_(ts["requires_grad"])
            p.grad = ts["grad"]
        for name, value in state["buffers"]:
            setattr(m, name, value)
    children = dict(m.named_children())
    for name, child in state["children"]:
        _load_module_state(children[name], child)


# ---- data only, out: JSON with tensors as raw buffers ------------------------------------------------------

class _NotData(Exception):
    pass


def _b64(data):
    return base64.b64encode(data).decode()


def _tensor_payload(t):
    import torch

    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.contiguous()
    raw = t.view(torch.int16) if t.dtype == torch.bfloat16 else t
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
            "data": _b64(raw.numpy().tobytes())}


def encode(obj, ctx, plain=False, depth=0):
    """`obj` as JSON-able data. ctx: 'refs' (id -> marker for objects the grader passed in), 'graph' (outputs that
    require grad, collected for one call), 'handles' (whether objects may stay in the kernel behind a handle)."""
    import numpy as np
    import torch

    if depth > 40:
        raise _NotData("nested too deeply")
    if obj is None or isinstance(obj, (bool, str)) or type(obj) in (int, float):
        return obj
    ref = ctx.get("refs", {}).get(id(obj))
    if ref is not None:
        return ref
    kind = type(obj)
    if kind is torch.Size:
        return {"$": "size", "items": list(obj)}
    # Subclasses (namedtuple, torch.return_types, defaultdict, OrderedDict) cross as their base type, read with
    # the base type's own methods: the checks judge the data, as plain nbgrader's `==` does.
    for base in (tuple, list):
        if isinstance(obj, base):
            return {"$": base.__name__, "items": [encode(v, ctx, plain, depth + 1) for v in base.__iter__(obj)]}
    if isinstance(obj, dict):
        return {"$": "dict", "items": [[encode(k, ctx, plain, depth + 1), encode(v, ctx, plain, depth + 1)]
                                       for k, v in dict.items(obj)]}
    if kind in (set, frozenset):
        return {"$": kind.__name__, "items": [encode(v, ctx, plain, depth + 1) for v in obj]}
    if kind is complex:
        return {"$": "complex", "re": obj.real, "im": obj.imag}
    if kind is torch.dtype:
        return {"$": "dtype", "name": str(obj).replace("torch.", "")}
    if kind is torch.device:
        return {"$": "device", "name": str(obj)}
    if isinstance(obj, np.generic) and obj.dtype.kind in "biufc":
        return {"$": "npscalar", "dtype": obj.dtype.str, "data": _b64(obj.tobytes())}
    if kind is np.ndarray and obj.dtype.kind in "biufc":
        return {"$": "ndarray", "dtype": obj.dtype.str, "shape": list(obj.shape), "data": _b64(obj.tobytes())}
    if isinstance(obj, torch.Tensor) and (kind in (torch.Tensor, torch.nn.Parameter) or plain is False):
        out = {"$": "tensor", **_tensor_payload(obj), "requires_grad": bool(obj.requires_grad),
               "parameter": kind is torch.nn.Parameter}
        if obj.grad is not None and not plain:
            out["grad"] = _tensor_payload(obj.grad) | {"$": "tensor"}
        if obj.requires_grad and not plain and "graph" in ctx:
            out["graph_output"] = len(ctx["graph"])
            ctx["graph"].append(obj)
        return out
    if isinstance(obj, torch.nn.Module) and not plain:
        return _encode_module(obj, ctx, depth)
    if ctx.get("handles") and not plain:
        key = len(_handles) + 1
        _handles[key] = obj
        try:
            text = repr(obj)[:500]
        except Exception:  # noqa: BLE001
            text = ""
        return {"$": "object", "handle": key, "type": kind.__name__, "repr": text}
    raise _NotData(f"a {kind.__name__} is not data")


def _encode_module(m, ctx=None, depth=0):
    """A module as its state; the student's own classes also stay in the kernel behind a handle."""
    builtin = type(m).__module__.startswith("torch.nn.")
    key = None
    if not builtin:
        key = len(_handles) + 1
        _handles[key] = m
    return {"$": "module", "class": f"{type(m).__module__}.{type(m).__qualname__}", "builtin": builtin,
            "handle": key, **_module_state(m, child=_encode_module)}


def _raised(err):
    return {"raised": {"mro": [c.__name__ for c in type(err).__mro__], "message": str(err)[:20000]}}


# ---- the loop ------------------------------------------------------------------------------------------------

def _call(req):
    payload = pickle.loads(base64.b64decode(req["pickle"]))
    fn, args, kwargs = payload
    objs = tracked([fn, args, kwargs])
    before = [json.dumps(_plainly(_state_of)(o), sort_keys=True) for o in objs]
    inputs = graph_inputs(objs)
    try:
        result = fn(*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 (the grader re-raises it as the test expects)
        answer = _raised(err)
    else:
        answer = _plainly(_encode_result)(result, objs, inputs)
    effects = []
    for k, (o, old) in enumerate(zip(objs, before)):
        state = _plainly(_state_of)(o)
        if json.dumps(state, sort_keys=True) != old:
            effects.append([k, state])
    answer["effects"] = effects
    return answer


def _state_of(o):
    import torch

    return _module_state(o) if isinstance(o, torch.nn.Module) else _tensor_state(o)


def _encode_result(result, objs, inputs):
    refs = {}  # results that are the grader's own objects (or an argument's .grad) come back as references
    for k, o in enumerate(objs):
        refs[id(o)] = {"$": "ref", "k": k}
        if not isinstance(o, __import__("torch").nn.Module) and o.grad is not None:
            refs[id(o.grad)] = {"$": "gradref", "k": k}
    ctx = {"refs": refs, "graph": [], "handles": True}
    try:
        answer = {"ok": encode(result, ctx)}
    except _NotData as err:
        answer = {"ok": {"$": "object", "handle": None, "type": str(err)}}
    if ctx["graph"]:
        key = len(_graphs) + 1
        _graphs[key] = (ctx["graph"], inputs)
        first = ctx["graph"][0].grad_fn
        answer["graph"] = {"id": key, "inputs": len(inputs), "grad_fn": type(first).__name__ if first else None}
    return answer


def _backward(req):
    import torch

    outputs, inputs = _graphs[req["graph"]]
    grads = pickle.loads(base64.b64decode(req["pickle"]))
    pairs = [(o, g) for o, g in zip(outputs, grads) if g is not None and o.requires_grad]
    if not pairs or not inputs:
        return {"ok": encode([None] * len(inputs), {})}
    got = torch.autograd.grad([o for o, _ in pairs], inputs, [g for _, g in pairs], retain_graph=True,
                              allow_unused=True)
    return {"ok": encode(list(got), {})}


def _resolve(req):
    import types

    import torch

    ns = _user_ns()
    out = {}
    for name in req["names"]:
        if name not in ns:
            continue
        obj = ns[name]
        if isinstance(obj, types.ModuleType):
            out[name] = {"module": obj.__name__}
        elif isinstance(obj, type) or (callable(obj) and not isinstance(obj, torch.nn.Module)):
            out[name] = {"callable": True}
        else:
            try:
                out[name] = {"value": encode(obj, {"handles": True})}
            except _NotData:
                out[name] = {"callable": callable(obj)}
    return {"ok": out}


def _plainly(fn):
    """fn, with tensor subclasses' __torch_function__ off while the agent reads and writes state (the student's
    code runs with it on)."""

    def run(*args):
        import torch

        with torch._C.DisableTorchFunctionSubclass():
            return fn(*args)

    return run


def serve():
    """Answer the grader's requests until it says done (one hidden test cell)."""
    ops = {"call": _call, "backward": _backward, "resolve": _resolve}
    answer = {"hello": _global_state()}
    while True:
        text = input(json.dumps(answer))
        req = json.loads(text)
        if req.get("op") == "done":
            _graphs.clear()
            _set_global_state(req)
            return
        _set_global_state(req)
        try:
            answer = ops[req["op"]](req)
        except BaseException as err:  # noqa: BLE001 (an unpicklable argument, a missing graph: the grader says so)
            answer = _raised(err)
        answer.update(_global_state() if req.get("op") != "resolve" else {})
        answer["seq"] = req.get("seq")  # which request this answers: the grader takes no other
