"""The tamper screen: what it lets through (idioms right answers use) and what it flags, rule by rule."""

from __future__ import annotations

import pytest

from grading.judging.screen import grader_names, screen_cell

SETUP = "import copy\nimport math\nimport matplotlib.pyplot as plt\nimport numpy as np\nimport torch\nfrom torch import nn\n"
MODULES, PROTECTED = grader_names([SETUP])

ALLOWED = {
    "autograd": "def f(w):\n    w = torch.tensor(w, requires_grad=True)\n    (w * w).backward()\n    return w.grad.item()",
    "clear_grad": "def f(p):\n    p.grad = None\n    p.requires_grad = True\n    p.data = p.data * 2",
    "module_class": ("class LR(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                     "        self.features = nn.Linear(2, 1)\n\n    def forward(self, x):\n"
                     "        return torch.sigmoid(self.features(x))"),
    "type_name": "def f(t):\n    return type(t.grad_fn).__name__, type(t) is torch.Tensor",
    "isinstance_and_annotations": "def f(x: torch.Tensor) -> torch.Tensor:\n    assert isinstance(x, torch.Tensor)\n    return x",
    "decorator_and_dtype": "@torch.no_grad()\ndef f(x):\n    return x.to(torch.float64).numpy()",
    "local_shadowing": "def f(values):\n    abs = [v for v in values]\n    return sum(abs)",
    "imports_allowed": "import math\nimport torch.nn.functional as F\nfrom collections import namedtuple",
    "unused_os": "import os\n\ndef f(x):\n    return x",
    "plain_syntax_error": "def f(:\n    pass",
    # honest habits: debugging prints, timing, the standard library, helpers and constants of one's own
    "print_to_stderr": "import sys\nprint('debug', sys.float_info.epsilon, file=sys.stderr)",
    "timing": "import time\nt0 = time.perf_counter()\nelapsed = time.perf_counter() - t0",
    "type_of_a_value": "def f(x):\n    print(type(x))\n    return x",
    "os_path": "import os.path\nfrom os import path\nname = os.path.join('a', 'b') + path.sep",
    "warnings": "import warnings\nwarnings.warn('slow path')",
    "helpers_and_constants": "EPS = 1e-6\n\ndef _square(v):\n    return v * v\n\ndef f(x):\n    return _square(x) + EPS",
    "module_method_decorators": ("class LR(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                                 "        self.features = nn.Linear(2, 1)\n\n    @staticmethod\n    def squash(z):\n"
                                 "        return torch.sigmoid(z)\n\n    @classmethod\n    def fresh(cls):\n"
                                 "        return cls()\n\n    @property\n    def n_inputs(self):\n"
                                 "        return self.features.in_features\n\n    def forward(self, x):\n"
                                 "        return self.squash(self.features(x))"),
    "numpy_dtype_as_argument": "def f(t):\n    return np.array(t.tolist(), dtype=np.float32)",
}

FLAGGED = {
    "rebinds_builtin": ("abs = lambda v: 0", "rebinds `abs`"),
    "rebinds_grader_import": ("math = None", "rebinds `math`"),
    "import_denied": ("import subprocess", "imports subprocess"),
    "patch_module": ("torch.allclose = lambda *a: True", "patching a library"),
    "patch_submodule_item": ("np.testing.__dict__['x'] = 1", "special attribute"),
    "alias_module": ("m = math", "as a value"),
    "alias_class": ("T = torch.Tensor", "as a value"),
    "setattr": ("setattr(math, 'pi', 3)", "`setattr`"),
    "private_attr": ("x = torch.ones(1)._version", "private attribute"),
    "dunder_method": ("class A(nn.Module):\n    def __eq__(self, other):\n        return True", "special method"),
    "float_subclass": ("class F(float):\n    pass", "derives from `float`"),
    "star_import": ("from torch import *", "import *"),
    "magic": ("%env X=1", "magics"),
    "shell": ("!ls ..", "magics"),
    "global": ("def f():\n    global torch\n    torch = None", "global"),
    "store_on_call": ("type(torch.ones(1)).grad = 5", "only .grad"),
    "type_makes_a_class": ("X = type('X', (float,), {})", "uses `type`"),
    "os_beyond_path": ("import os.path\nos.system('ls')", "only os.path"),
    "sys_modules": ("import sys\nm = sys.modules['math']", "sys.modules"),
    "trace_hook": ("import sys\nsys.settrace(print)", "sys.settrace"),
    "stderr_replaced": ("import sys\nsys.stderr = None", "patching a library"),
    "attribute_store_elsewhere": ("def f(t):\n    t.item = lambda: 1.0", "only .grad"),
    "module_through_attribute": ("torch.multiprocessing.Process(target=print).start()", "reaches the module"),
    "os_through_torch": ("torch.os.getcwd()", "reaches the module os"),
    "get_ipython": ("get_ipython().showtraceback = print", "get_ipython"),
    "staticmethod_outside_a_class": ("helper = staticmethod(print)", "`staticmethod`"),
    "decorated_function": ("@property\ndef f(x):\n    return x", "`property`"),
    # routes to the interpreter's internals, whatever path or import form reaches them
    "from_sys_import": ("from sys import modules", "imports sys.modules"),
    "sys_through_a_module": ("import warnings\nwarnings.sys.modules['math'].pi = 3", "reaches the module sys"),
    "sys_from_a_module": ("from warnings import sys\nsys.modules.clear()", "imports the module sys"),
    "os_through_logging": ("import logging\nlogging.os.kill(1, 9)", "reaches the module os"),
    "os_kill": ("import os\nos.kill(os.getpid(), 9)", "of os, only os.path"),
    "from_os_import": ("from os import kill", "imports os.kill"),
    "sys_exc_info": ("import sys\nframe = sys.exc_info()[2]", "sys.exc_info"),
    "frames": ("def g():\n    yield\nspace = g().gi_frame.f_back.f_globals", "interpreter's frames"),
    "builtin_through_a_module": ("import dataclasses\ndataclasses.builtins.getattr(dataclasses, 'sys')",
                                 "reaches the module builtins"),
    "format_lookup": ("def f():\n    pass\n'{0.__globals__}'.format(f)", "format string that looks"),
    "format_lookup_stored": ("spec = '{0.__class__.__base__}'", "format string that looks"),
    "attrgetter": ("import operator\nget = operator.attrgetter('grad')", "looks attributes up by name"),
    "attrgetter_imported": ("from operator import attrgetter", "looks attributes up by name"),
    "timeit_string": ("import timeit\ntimeit.timeit('import math', number=1)", "evaluates strings"),
    "type_hints_evaluated": ("import typing\ndef f(x: 'float'):\n    pass\ntyping.get_type_hints(f)",
                             "evaluates strings"),
    "numpy_unpickles": ("np.load('x.npy', allow_pickle=True)", "allow_pickle=True"),
    "torch_unpickles": ("torch.load('x.pt', weights_only=False)", "weights_only=False"),
    "logging_config": ("import logging.config", "imports logging.config"),
    "dataclass_with_bases": ("from dataclasses import dataclass\n@dataclass\nclass F(float):\n    x: float",
                             "decorators"),
    "dataclass_with_eq": ("from dataclasses import dataclass\n@dataclass\nclass R:\n    def __eq__(self, o):\n"
                          + "        return True", "special method"),
}


@pytest.mark.parametrize("name", ALLOWED)
def test_right_answer_idioms_pass(name):
    """Idioms that right answers use are not flagged."""
    findings = screen_cell(ALLOWED[name], MODULES, PROTECTED)
    assert not findings, f"{name} was flagged: {[str(f) for f in findings]}"


@pytest.mark.parametrize("name", FLAGGED)
def test_tampering_is_flagged_with_a_reason(name):
    """Each rule fires on its example, and the reason names what was done."""
    source, reason = FLAGGED[name]
    findings = screen_cell(source, MODULES, PROTECTED)
    assert findings, f"{name}: not flagged: {source!r}"
    assert any(reason in str(f) for f in findings), f"{name}: expected a reason with {reason!r}, got {findings}"


def _honest_files():
    from conftest import REPO

    return sorted((REPO / "tests" / "honest_idioms").glob("*.py"))


@pytest.mark.parametrize("path", _honest_files(), ids=lambda p: p.stem)
def test_honest_idioms_get_no_findings(path):
    """Code written as students write it (tests/honest_idioms/: records, logging, typing, the standard library,
    unused imports, reading os and sys) gets no finding: a finding would cost an honest student points."""
    findings = screen_cell(path.read_text(encoding="utf-8"), MODULES, PROTECTED)
    assert not findings, f"{path.name}: honest code flagged: {[str(f) for f in findings]}"


def _right_answer_files():
    from conftest import REPO

    return sorted((REPO / "tests" / "right_answers").glob("*/*.py"))


@pytest.mark.parametrize("path", _right_answer_files(), ids=lambda p: f"{p.parent.name[:2]}-{p.stem}")
def test_right_answers_get_no_findings(path):
    """Every right answer of tests/right_answers/ (literal readers included) passes the screen, with the grader
    cells of its own notebook."""
    import nbformat
    from conftest import REPO

    from grading.course.layout import nbgrader_meta

    source = nbformat.read(REPO / "grading" / "source" / path.parent.name / f"{path.parent.name}.ipynb", as_version=4)
    grader = [c.source for c in source.cells if c.cell_type == "code" and nbgrader_meta(c).get("locked")]
    modules, protected = grader_names(grader)
    findings = screen_cell(path.read_text(encoding="utf-8"), modules, protected)
    assert not findings, f"{path.parent.name}/{path.name}: a right answer flagged: {[str(f) for f in findings]}"


def _tamper_files():
    from conftest import REPO

    return sorted((REPO / "tests" / "tamper").glob("*.py"))


@pytest.mark.parametrize("path", _tamper_files(), ids=lambda p: p.stem)
def test_what_the_screen_says_of_each_attack(path):
    """Each attack of tests/tamper/ is flagged (or not) as its `# Screen:` line says, with the grader cells of
    notebook 01 (whose only setup import is torch)."""
    import re

    expected = re.search(r"^# Screen: (flags|passes)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert expected, f"{path.name}: no '# Screen: flags|passes' line"
    modules, protected = grader_names(["import torch\n"])
    findings = screen_cell(path.read_text(encoding="utf-8"), modules, protected)
    assert bool(findings) == (expected.group(1) == "flags"), f"{path.name}: {[str(f) for f in findings]}"


def test_a_screen_flag_costs_only_the_checks_that_take_the_kernels_word():
    """A finding of the screen in cell 1 zeroes the checks from cell 1 on that read what the kernel reported
    (here cell 3), not the others (cell 2), nor the checks before the flagged cell (cell 0)."""
    import nbformat

    from grading.judging.integrity import ApplyFlags, _flag

    def check(gid: str) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell("pass")
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": gid, "points": 1}
        return cell

    nb = nbformat.v4.new_notebook(cells=[check("before"), nbformat.v4.new_code_cell("x = 1"), check("values"),
                                         check("side_effects")])
    _flag(nb, "cell 1 reaches into the grader's machinery", 1, costs_points=False, kernel_word=True)
    nb, _ = ApplyFlags().preprocess(nb, {"grading_kernel_word": [0, 3]})
    zeroed = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
              if any(o.get("ename") == "FlaggedForReview" for o in c.get("outputs", []))]
    assert zeroed == ["side_effects"], zeroed
