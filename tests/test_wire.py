"""The grader's side of the hidden tests without a kernel: what it accepts from the kernel (data only, checked)
and what it sends (pickles that keep what a test's arguments are). The end-to-end runs are the corpus class
(tests/test_autograde.py) and the tamper class (tests/test_tamper.py)."""

from __future__ import annotations

import base64
import collections
import pickle

import numpy as np
import pytest
import torch

from grading.judging.remote import RemoteObject, agent
from grading.judging.runner import RemoteError, _rebuild_exception, free_names
from grading.judging.wire import Decoder, KernelAnswerError, dumps


def decode(node):
    return Decoder(None, [])(node)


def roundtrip(value):
    return decode(agent().encode(value, {"handles": True}))


@pytest.mark.parametrize("value", [
    None, True, 3, 2.5, float("inf"), "text", (1.0, 2.0), [1, [2, (3,)]], {"a": 1, 2: "b", None: (True,)},
    {1, 2}, 1 + 2j, torch.Size([2, 3]), torch.float64,
], ids=repr)
def test_python_data_comes_back_as_it_was(value):
    """Scalars, strings and containers keep their types and values (a tuple stays a tuple, a bool a bool)."""
    got = roundtrip(value)
    assert got == value and type(got) is type(value), f"sent {value!r}, got {got!r}"


_Point = collections.namedtuple("_Point", "x y")


@pytest.mark.parametrize("value, base", [
    (_Point(1.0, 2.0), (1.0, 2.0)),
    (torch.max(torch.tensor([[1.0, 3.0], [4.0, 2.0]]), dim=1), None),  # torch.return_types.max
    (collections.defaultdict(list, {"a": [1], "b": []}), {"a": [1], "b": []}),
    (collections.OrderedDict([("w", 1.5), ("b", -0.5)]), {"w": 1.5, "b": -0.5}),
    (type("Row", (list,), {})([1, 2]), [1, 2]),
], ids=lambda v: type(v).__name__)
def test_subclasses_of_tuple_list_and_dict_cross_as_their_base_type(value, base):
    """A right answer returned as a namedtuple, a torch.return_types, a defaultdict or an OrderedDict is judged as
    the tuple, list or dict it is (plain nbgrader's `==` accepts them), not as an object left in the kernel."""
    got = roundtrip(value)
    if base is None:  # torch.return_types.max: (values, indices)
        assert type(got) is tuple and len(got) == 2, f"sent {value!r}, got {got!r}"
        assert torch.equal(got[0], value.values) and torch.equal(got[1], value.indices), got
        return
    assert type(got) is type(base) and got == base, f"sent {value!r}, expected {base!r}, got {got!r}"


@pytest.mark.parametrize("tensor", [
    torch.tensor(1.5), torch.arange(6, dtype=torch.float64).reshape(2, 3), torch.tensor([True, False]),
    torch.tensor([1, -2], dtype=torch.int64), torch.tensor([1.0, 2.0], dtype=torch.bfloat16),
    torch.randn(2, 3).t(),  # not contiguous
], ids=lambda t: f"{t.dtype}{tuple(t.shape)}")
def test_tensors_come_back_with_dtype_shape_and_values(tensor):
    got = roundtrip(tensor)
    assert isinstance(got, torch.Tensor) and got.dtype == tensor.dtype and got.shape == tensor.shape
    assert torch.equal(got, tensor)


def test_a_tensor_keeps_requires_grad_and_its_grad():
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    t.grad = torch.tensor([3.0, 4.0])
    got = roundtrip(t)
    assert got.requires_grad and got.is_leaf and torch.equal(got.grad, t.grad)


@pytest.mark.parametrize("array", [np.float32(1.5), np.array(2.0), np.arange(4, dtype=np.int32).reshape(2, 2)],
                         ids=repr)
def test_numpy_values_keep_type_dtype_and_shape(array):
    """A 0-d array stays 0-d (not (1,)), a numpy scalar stays a numpy scalar."""
    got = roundtrip(array)
    assert type(got) is type(array) and got.dtype == array.dtype and np.shape(got) == np.shape(array)
    assert np.array_equal(got, array)


def test_objects_that_are_not_data_stay_behind_and_compare_equal_to_nothing():
    class Anything:
        def __eq__(self, other):
            return True

    got = roundtrip(Anything())
    assert isinstance(got, RemoteObject) and got != 5.0 and got != got._grading_handle
    assert "Anything" in repr(got)


@pytest.mark.parametrize("node, why", [
    ({"$": "pickle", "data": base64.b64encode(pickle.dumps(print)).decode()}, "unknown kind"),
    ([1, 2], "not data"),
    ({"a": 1}, "not data"),
    ({"$": "tensor", "dtype": "object", "shape": [1], "data": ""}, "unknown dtype"),
    ({"$": "tensor", "dtype": "float32", "shape": [3], "data": base64.b64encode(b"1234").decode()}, "size"),
    ({"$": "tensor", "dtype": "float32", "shape": [-1], "data": ""}, "bad shape"),
    ({"$": "ndarray", "dtype": "|O8", "shape": [1], "data": ""}, "bad array dtype"),
    ({"$": "ref", "k": 0}, "no argument"),
    ({"$": "module", "class": "x.LR", "builtin": False, "handle": "1"}, "handle"),
    ({"$": "module", "class": "torch.nn.modules.linear.Linear", "builtin": True, "handle": 1,
      "attrs": [["a b", 1]], "params": [], "buffers": [], "children": []}, "bad name"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_malformed_answers_are_refused_with_a_reason(node, why):
    """Anything but the data format is refused, naming the problem; nothing is unpickled or imported."""
    with pytest.raises(KernelAnswerError, match=why):
        decode(node)


def test_deeply_nested_answers_are_refused():
    node: object = 1.0
    for _ in range(100):
        node = {"$": "list", "items": [node]}
    with pytest.raises(KernelAnswerError, match="nested too deeply"):
        decode(node)


def test_a_builtin_torch_module_is_rebuilt_here_from_its_state():
    """nn.Linear from the kernel becomes a real nn.Linear here, with the kernel's weights; private attributes
    in its state are not set."""
    lin = torch.nn.Linear(2, 1)
    node = agent()._encode_module(lin, {}, 0)
    node["attrs"].append(["__class__", 1])
    got = decode(node)
    assert type(got) is torch.nn.Linear and got.in_features == 2
    assert torch.equal(got.weight, lin.weight) and got.weight.requires_grad
    assert torch.allclose(got(torch.ones(1, 2)), lin(torch.ones(1, 2)))


def test_exceptions_are_rebuilt_as_builtin_types_only():
    """The kernel's exception comes back as the nearest builtin class with its message; one that would end
    the grader (SystemExit) becomes a RemoteError."""
    err = _rebuild_exception({"mro": ["OutOfMemoryError", "RuntimeError", "Exception"], "message": "boom"})
    assert type(err) is RuntimeError and str(err) == "boom"
    assert repr(_rebuild_exception({"mro": ["NotImplementedError"], "message": ""})) == "NotImplementedError()"
    assert type(_rebuild_exception({"mro": ["SystemExit", "BaseException"], "message": "0"})) is RemoteError


def test_pickles_keep_grad_and_leafness_of_the_tests_tensors():
    """What a test passes arrives as it is: .grad kept (plain pickling drops it), a subclass still a leaf that
    requires grad, a local function by value."""

    class Sub(torch.Tensor):
        pass

    t = torch.tensor([1.0], requires_grad=True)
    t.grad = torch.tensor([7.0])
    s = torch.ones(2).as_subclass(Sub).requires_grad_(True)
    scale = torch.tensor(3.0)
    got_t, got_s, got_f = pickle.loads(base64.b64decode(dumps((t, s, lambda v: v * scale))))
    assert got_t.requires_grad and torch.equal(got_t.grad, torch.tensor([7.0]))
    assert type(got_s) is not torch.Tensor and got_s.requires_grad and got_s.is_leaf
    assert torch.equal(got_f(torch.ones(1)), torch.tensor([3.0]))


def test_free_names_are_what_the_test_takes_from_the_notebook():
    source = ("import math\n_cases = [1, 2]\ndef _check(v):\n    return graph_grads(v, X)\n"
              "for _c in _cases:\n    assert math.isclose(_check(_c)[0], expected)\n")
    assert free_names(source) == {"graph_grads", "X", "expected"}


def test_the_faster_function_pickling_matches_cloudpickles_own():
    """The pickler's function reduction (the submodule scan done once per code object) gives the state that
    cloudpickle's own `_function_getstate` gives: a cloudpickle upgrade that changes it fails here."""
    import io

    import cloudpickle

    from grading.judging import wire

    scale = torch.tensor(2.0)

    def f(v):
        return torch.func.vjp(torch.sin, v * scale)[0] + torch.nn.functional.relu(v)

    pickler = wire._pickler_class()(io.BytesIO())
    reduced = pickler._dynamic_function_reduce(f)
    assert reduced[2] == cloudpickle.cloudpickle._function_getstate(f)
    assert reduced[0] is cloudpickle.cloudpickle._make_function and reduced[5] is cloudpickle.cloudpickle._function_setstate
