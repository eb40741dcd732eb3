"""Tamper screen: student code that reaches into the grading machinery, found before anything of it runs.

The verdicts do not depend on it: hidden tests run in the grader's process and only data comes back from the
kernel (grading/judging/runner.py), so a patched `math.isclose` or an object whose `__eq__` always succeeds
changes nothing the grader computes. What the grader still takes on the kernel's word is what the kernel
reports about side effects (an argument left untouched, grad mode restored), and code that patches libraries or
uses reflection could make the kernel's side of a call report something false. So the screen flags such code
for a human, and in a flagged submission only the checks that read such reports score 0
(grading/judging/integrity.py).

What it flags (rules that right answers, honest debugging habits included, never need):

- imports outside a list of modules (torch, numpy, math, the harmless standard library such as sys, os, time,
  logging, warnings, re, typing, dataclasses), `from m import *`;
- of os and sys, every name outside an allow-list of reading ones (OS_ALLOWED, SYS_ALLOWED: os.path,
  os.getcwd, sys.version, sys.stderr to print to, ...), whatever reaches them: `from sys import modules`,
  `warnings.sys`, `logging.os` (listing the safe names, not the dangerous ones, so that a forgotten route is
  flagged rather than passed);
- reflection: eval/exec/compile/open/getattr/setattr/globals/vars/get_ipython/..., by name or reached as an
  attribute of a module (`dataclasses.builtins.getattr`), `type` with other than one argument, library
  functions that run a string or look an attribute up by name (operator.attrgetter, timeit given a string,
  typing.get_type_hints, string.Formatter, format strings such as "{0.__globals__}"), loaders told to unpickle,
  frames and tracebacks (.f_globals, .tb_frame, .gi_frame), dunder names or attributes (except
  `super().__init__` and `__name__`), private `_attributes`, IPython magics or shell escapes;
- patching: assignment to attributes of modules or classes (only `self.x`, and `.grad`, `.data`,
  `.requires_grad` of a plain name), rebinding builtins or the names the grader's cells import; modules and
  classes may be called, subclassed (nn.Module only), used in isinstance, annotations and type subscripts
  (`Sequence[torch.Tensor]`, typing.cast) or as attribute bases, never stored or passed around (that is how an
  alias to patch through is made);
- classes other than nn.Module subclasses, dataclasses and typing.NamedTuple classes, or that define special
  methods other than `__init__` (`__post_init__` in a dataclass; methods may be static or class methods, or
  properties).

Printing (to stdout or stderr), warnings, `type(x)`, timing a call and helpers of one's own are not flagged.
`grading/judging/integrity.py` checks the grader cells themselves (edited, deleted, moved, retyped).
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import importlib
import inspect
import re
import typing
from dataclasses import dataclass

ALLOWED_MODULES = {"torch", "numpy", "math", "random", "itertools", "functools", "typing", "collections",
                   "copy", "warnings", "matplotlib", "__future__", "sys", "time", "re", "string", "statistics",
                   "fractions", "decimal", "operator", "dataclasses", "enum", "textwrap", "pprint", "timeit",
                   "datetime", "numbers", "heapq", "bisect", "array", "contextlib", "posixpath", "ntpath",
                   "logging", "os"}  # os: only the names of OS_ALLOWED; logging: not logging.config
ALLOWED_SUBMODULES = {"os.path"}  # `import os.path`, `from os import path`
# Of os and sys, what honest code reads: everything else (os.kill, os.open, sys.modules, sys.exc_info, ...) is
# flagged. Allowing the known-safe names, rather than listing the dangerous ones, is what keeps a route the
# list forgot from passing.
OS_ALLOWED = {"path", "sep", "linesep", "pathsep", "curdir", "pardir", "extsep", "name", "getcwd", "listdir",
              "cpu_count", "getpid", "makedirs"}
SYS_ALLOWED = {"float_info", "int_info", "hash_info", "maxsize", "maxunicode", "version", "version_info",
               "hexversion", "platform", "byteorder", "implementation", "getsizeof", "getrecursionlimit",
               "getdefaultencoding", "getfilesystemencoding", "float_repr_style", "argv", "executable", "exit",
               "stdout", "stderr"}  # stdout, stderr: read (print(..., file=sys.stderr)), never assigned
DENIED_MODULES = {"torch.library", "torch.ops", "torch.overrides", "torch.utils.cpp_extension", "torch.hub",
                  "torch.multiprocessing", "torch.distributed", "torch.testing._internal", "torch.package",
                  "numpy.ctypeslib", "matplotlib.testing", "logging.config"}
# The interpreter's internals by attribute: frames and tracebacks lead to every namespace, the agent's included
FRAME_ATTRS = {"f_globals", "f_locals", "f_back", "f_builtins", "f_code", "tb_frame", "tb_next", "gi_frame",
               "gi_code", "cr_frame", "cr_code", "ag_frame", "co_consts", "co_code", "co_names", "func_globals"}
# Functions of allowed modules that evaluate a string, or look an attribute up by its name: reflection through
# a library (found by identity, however they are reached)
EVALUATORS = {("timeit", "timeit"), ("timeit", "repeat"), ("timeit", "Timer"), ("operator", "attrgetter"),
              ("operator", "methodcaller"), ("typing", "get_type_hints"), ("typing", "ForwardRef"),
              ("string", "Formatter")}
# Loaders that can unpickle, and the argument that lets them: a pickle runs any code it names
UNPICKLING_KEYWORDS = {"allow_pickle": False, "weights_only": True}  # keyword -> the only value allowed
# Format strings with attribute or item lookups ("{0.__globals__}", "{x[k]}"): str.format's reflection
FORMAT_LOOKUP = re.compile(r"(?<!\{)\{\w*(\.[A-Za-z_]\w*|\[[^\]{}]*\])+[!:}]")
DENIED_NAMES = {"eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "getattr", "setattr",
                "delattr", "breakpoint", "exit", "quit", "input", "get_ipython", "type", "object", "property",
                "classmethod", "staticmethod", "memoryview", "help", "display"}
DENIED_ATTRS = {"mro", "as_subclass"}
# Decorators of a method in an nn.Module subclass: they change how the method is called, and patch nothing
METHOD_DECORATORS = {"staticmethod", "classmethod", "property"}
SETTABLE_ATTRS = {"grad", "data", "requires_grad"}
GENERIC_BUILTINS = {"list", "dict", "tuple", "set", "frozenset", "type"}
BUILTIN_NAMES = set(dir(builtins))


@dataclass(frozen=True)
class Finding:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


def _module_allowed(name: str) -> bool:
    if any(name == d or name.startswith(d + ".") for d in DENIED_MODULES):
        return False
    return name in ALLOWED_SUBMODULES or name.split(".")[0] in ALLOWED_MODULES


_EVALUATOR_IDS: set[int] = set()
_DENIED_BUILTIN_IDS = {id(getattr(builtins, n)) for n in DENIED_NAMES if hasattr(builtins, n)}


def _reflective(obj: object) -> str | None:
    """What `obj` is, when it is reflection however it was reached: a builtin of DENIED_NAMES or an evaluator."""
    if not _EVALUATOR_IDS:
        for mod, name in EVALUATORS:
            _EVALUATOR_IDS.add(id(getattr(importlib.import_module(mod), name)))
    if id(obj) in _DENIED_BUILTIN_IDS:
        return f"the builtin `{obj.__name__}`"
    if id(obj) in _EVALUATOR_IDS:
        return f"`{obj.__module__}.{obj.__name__}`, which evaluates strings or looks attributes up by name"
    return None


def _resolve(modules: dict[str, str], node: ast.AST) -> object | None:
    """The object an attribute chain rooted at an imported module names, looked up in this (trusted) process."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in modules:
        return None
    try:
        obj: object = importlib.import_module(modules[node.id])
        for part in reversed(parts):
            obj = getattr(obj, part)
    except Exception:  # noqa: BLE001 (an unknown attribute is the student's error, not a tamper)
        return None
    return obj


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def _top_level_bindings(tree: ast.Module) -> list[tuple[str, int, str | None]]:
    """Names a cell binds in the notebook's global namespace: (name, line, module path if bound by an import)."""
    found: list = []

    def targets(node: ast.AST) -> None:
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                found.append((n.id, n.lineno, None))
            elif isinstance(n, ast.Starred) and isinstance(n.value, ast.Name):
                found.append((n.value.id, n.lineno, None))

    def visit(stmts: list[ast.stmt]) -> None:
        for st in stmts:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((st.name, st.lineno, None))
                continue
            if isinstance(st, ast.Import):
                for a in st.names:
                    target = a.name if a.asname else a.name.split(".")[0]
                    found.append(((a.asname or a.name).split(".")[0], st.lineno, target))
                continue
            if isinstance(st, ast.ImportFrom):
                for a in st.names:
                    found.append((a.asname or a.name, st.lineno, f"{st.module}.{a.name}"))
                continue
            for field in ("targets", "target"):
                value = getattr(st, field, None)
                for t in value if isinstance(value, list) else [value] if value is not None else []:
                    targets(t)
            if isinstance(st, (ast.With, ast.AsyncWith)):
                for item in st.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
            if isinstance(st, ast.Try):
                for h in st.handlers:
                    if h.name:
                        found.append((h.name, h.lineno, None))
            for n in ast.walk(st):
                if isinstance(n, ast.NamedExpr):
                    found.append((n.target.id, n.lineno, None))
            for block in ("body", "orelse", "finalbody"):
                visit(getattr(st, block, []) or [])
            for h in getattr(st, "handlers", []) or []:
                visit(h.body)

    visit(tree.body)
    return found


class _Screen(ast.NodeVisitor):
    def __init__(self, modules: dict[str, str]):
        self.modules = dict(modules)  # local name -> module path, for names bound to modules
        self.findings: list[Finding] = []
        self.allowed_positions: set[int] = set()  # id() of nodes where a module or class may appear
        self.class_depth: list[bool] = []
        self.plain_type_calls: set[int] = set()  # `type` in type(x).__name__ or type(x) is T: reading, not patching
        self.method_decorators: set[int] = set()  # @staticmethod, @classmethod, @property on a method of a class
        self.timed_callables: set[int] = set()  # timeit.timeit etc. given a lambda, not a string
        self._imported: dict[str, object] = {}  # names bound by `from m import name` to what they name

    def flag(self, node: ast.AST, problem: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), problem))

    # imports -----------------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if not _module_allowed(a.name):
                self.flag(node, f"imports {a.name}, which a graded notebook may not use")
            self.modules[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        mod = node.module or ""
        if node.level or not _module_allowed(mod):
            self.flag(node, f"imports from {mod or '.'}, which a graded notebook may not use")
            return
        for a in node.names:
            obj = _resolve({"m": mod}, ast.Attribute(ast.Name("m"), a.name)) if a.name != "*" else None
            if a.name == "*":
                self.flag(node, f"`from {mod} import *` rebinds names the grader relies on")
            elif not _module_allowed(f"{mod}.{a.name}"):
                self.flag(node, f"imports {mod}.{a.name}, which a graded notebook may not use")
            elif mod in ("os", "sys") and a.name not in (OS_ALLOWED if mod == "os" else SYS_ALLOWED):
                self.flag(node, f"imports {mod}.{a.name}, which can reach or change the grader's machinery")
            elif inspect.ismodule(obj):
                real = obj.__name__
                if real in ("os", "sys") or not _module_allowed(real):
                    self.flag(node, f"imports the module {real} through `from {mod} import {a.name}`")
                self.modules[a.asname or a.name] = real
            elif (what := _reflective(obj)) is not None:
                self.flag(node, f"imports {what}")
            else:
                self._imported[a.asname or a.name] = obj

    # names and attributes ----------------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        if id(node) in self.plain_type_calls or id(node) in self.method_decorators:
            pass
        elif node.id in DENIED_NAMES:
            self.flag(node, f"uses `{node.id}`, a reflection or I/O builtin that graded code may not use")
        elif node.id.startswith("__") and node.id != "__name__":
            self.flag(node, f"uses the special name `{node.id}`")
        elif node.id in self.modules and isinstance(node.ctx, ast.Load) and id(node) not in self.allowed_positions:
            self.flag(node, f"uses the module `{node.id}` as a value (an alias to patch through)")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (node.attr == "__init__" and self._is_super_call(node.value)) or (
                node.attr == "__name__" and isinstance(node.ctx, ast.Load)):
            pass  # super().__init__() in nn.Module subclasses; type(x).__name__ to name a class
        elif node.attr.startswith("__"):
            self.flag(node, f"uses the special attribute `.{node.attr}`")
        elif node.attr.startswith("_"):
            self.flag(node, f"uses the private attribute `.{node.attr}`")
        elif node.attr in DENIED_ATTRS:
            self.flag(node, f"uses `.{node.attr}`, which can reach or change library classes")
        elif node.attr in FRAME_ATTRS:
            self.flag(node, f"uses `.{node.attr}`, which reaches the interpreter's frames and namespaces")
        elif isinstance(node.value, ast.Name) and self.modules.get(node.value.id) == "os" \
                and node.attr not in OS_ALLOWED:
            self.flag(node, f"uses `os.{node.attr}`: of os, only os.path and {', '.join(sorted(OS_ALLOWED - {'path'}))}"
                            " may be used")
        elif isinstance(node.value, ast.Name) and self.modules.get(node.value.id) == "sys" \
                and node.attr not in SYS_ALLOWED:
            self.flag(node, f"uses `sys.{node.attr}`, which can reach or change the grader's machinery")
        if node.attr == "__name__" and self._is_type_call(node.value):
            self.plain_type_calls.add(id(node.value.func))
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._check_attribute_store(node)
        elif inspect.ismodule(reached := _resolve(self.modules, node)) and (
                not _module_allowed(reached.__name__) or reached.__name__ in ("os", "sys")):
            self.flag(node, f"reaches the module {reached.__name__} through `{ast.unparse(node)}`")
        elif (what := _reflective(reached)) is not None and id(node) not in self.timed_callables:
            self.flag(node, f"reaches {what} through `{ast.unparse(node)}`")
        elif id(node) not in self.allowed_positions:
            obj = _resolve(self.modules, node)
            if inspect.ismodule(obj) or (inspect.isclass(obj) and not _is_dtype_class(obj)):
                kind = "module" if inspect.ismodule(obj) else "class"
                self.flag(node, f"uses the {kind} `{ast.unparse(node)}` as a value (an alias to patch through)")
        self.allowed_positions.add(id(node.value))
        self.generic_visit(node)

    @staticmethod
    def _is_super_call(node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"

    def _check_attribute_store(self, node: ast.Attribute) -> None:
        root = _root(node)
        in_method = bool(self.class_depth) and self.class_depth[-1]
        if isinstance(root, ast.Name) and root.id in self.modules:
            self.flag(node, f"assigns to `{ast.unparse(node)}`, patching a library")
        elif isinstance(root, ast.Name) and root.id == "self" and in_method:
            return
        elif not (isinstance(root, ast.Name) and node.attr in SETTABLE_ATTRS and node.value is root):
            self.flag(node, f"assigns to `{ast.unparse(node)}`: only .grad, .data, .requires_grad of a tensor "
                            "and self.<name> in a method may be set")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self._is_generic(node.value):
            for n in ast.walk(node.slice):
                self.allowed_positions.add(id(n))  # Sequence[torch.Tensor], list[nn.Module]: a type, as annotations
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root(node)
            if isinstance(root, ast.Name) and root.id in self.modules:
                self.flag(node, f"assigns into `{ast.unparse(node)}`, patching a library")
        self.generic_visit(node)

    def _is_generic(self, node: ast.AST) -> bool:
        """typing's generics and the builtin ones (list[...], dict[...]), however they are named."""
        if isinstance(node, ast.Name) and node.id not in self._imported:
            return node.id in GENERIC_BUILTINS or (hasattr(typing, node.id) and node.id[:1].isupper())
        target = self._named(node)
        return getattr(target, "__module__", None) in ("typing", "collections.abc") or target in (
            list, dict, tuple, set, frozenset, type)

    @staticmethod
    def _is_type_call(node: ast.AST) -> bool:
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type"
                and len(node.args) == 1 and not node.keywords)

    def visit_Compare(self, node: ast.Compare) -> None:
        for operand in [node.left, *node.comparators]:
            if self._is_type_call(operand):
                self.plain_type_calls.add(id(operand.func))
            if isinstance(operand, ast.Attribute):
                self.allowed_positions.add(id(operand))  # `type(t) is torch.Tensor` only reads the class
        self.generic_visit(node)

    # positions where a module or class is legitimately named ------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self.allowed_positions.add(id(node.func))
        for kw in node.keywords:
            if kw.arg in UNPICKLING_KEYWORDS and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is UNPICKLING_KEYWORDS[kw.arg]):
                self.flag(node, f"passes `{kw.arg}={ast.unparse(kw.value)}`: a loader that unpickles runs any "
                                "code the file names")
        target = _resolve(self.modules, node.func)
        if target is not None and _reflective(target) and getattr(target, "__module__", "") == "timeit" and \
                node.args and isinstance(node.args[0], ast.Lambda) and \
                not any(isinstance(a, ast.Constant) for a in node.args[1:]) and \
                not any(kw.arg in ("stmt", "setup") for kw in node.keywords):
            self.timed_callables.add(id(node.func))  # timeit.timeit(lambda: f(x)): a timing, no string run
        if target is typing.cast and node.args:
            for n in ast.walk(node.args[0]):
                self.allowed_positions.add(id(n))  # typing.cast(torch.Tensor, x) names a class, as annotations do
        if self._is_type_call(node):
            self.plain_type_calls.add(id(node.func))  # type(x) reads a class; type(name, bases, dict) makes one
        if isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "issubclass") and len(node.args) == 2:
            for n in ast.walk(node.args[1]):
                self.allowed_positions.add(id(n))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and FORMAT_LOOKUP.search(node.value):
            self.flag(node, "a format string that looks attributes or items up (`{0.attr}`, `{0[key]}`): "
                            "str.format's reflection; write an f-string")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        for n in ast.walk(node.annotation):
            self.allowed_positions.add(id(n))  # x: torch.Tensor = ...: an annotation names a class
        self.generic_visit(node)

    def _allow_annotations(self, node: ast.AST) -> None:
        for n in ast.walk(node):
            if isinstance(n, ast.arg) and n.annotation is not None:
                for m in ast.walk(n.annotation):
                    self.allowed_positions.add(id(m))
        if getattr(node, "returns", None) is not None:
            for m in ast.walk(node.returns):
                self.allowed_positions.add(id(m))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("__") and not (node.name == "__init__" and self.class_depth and self.class_depth[-1]):
            self.flag(node, f"defines the special method `{node.name}` (custom comparisons or conversions)")
        self._allow_annotations(node)
        self.class_depth.append(False)
        self.generic_visit(node)
        self.class_depth.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.class_depth.append(False)
        self.generic_visit(node)
        self.class_depth.pop()

    def _named(self, node: ast.AST) -> object | None:
        """What a decorator or base names: through a module (dataclasses.dataclass), a from-import of this cell,
        or, for a name bound in an earlier cell, what the name says (that binding was screened where it was made)."""
        if not isinstance(node, ast.Name):
            return _resolve(self.modules, node)
        if node.id in self._imported:
            return self._imported[node.id]
        return {"dataclass": dataclasses.dataclass, "NamedTuple": typing.NamedTuple}.get(node.id)

    def _record_class(self, node: ast.ClassDef) -> bool:
        """A plain record: `@dataclass` (with constant options) and no bases, or a subclass of typing.NamedTuple
        with no decorators. Like an nn.Module subclass, it can hold data and methods and patch nothing."""
        if node.keywords:
            return False
        if not node.bases and len(node.decorator_list) == 1:
            d = node.decorator_list[0]
            call = d if isinstance(d, ast.Call) else None
            target = self._named(call.func if call else d)
            if target is dataclasses.dataclass and (call is None or (
                    not call.args and all(isinstance(k.value, ast.Constant) for k in call.keywords))):
                for n in ast.walk(d):
                    self.allowed_positions.add(id(n))
                return True
            return False
        if len(node.bases) == 1 and not node.decorator_list:
            b = node.bases[0]
            target = self._named(b)
            if target is typing.NamedTuple:
                for n in ast.walk(b):
                    self.allowed_positions.add(id(n))
                return True
        return False

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        record = self._record_class(node)
        if (node.keywords or node.decorator_list) and not record:
            self.flag(node, f"class `{node.name}` uses a metaclass, keywords or decorators")
        for base in node.bases if not record else []:
            obj = _resolve(self.modules, base)
            if not (inspect.isclass(obj) and _is_module_class(obj)):
                self.flag(node, f"class `{node.name}` derives from `{ast.unparse(base)}`: only nn.Module subclasses "
                                "are allowed (a float or Tensor subclass can fake comparisons)")
            for n in ast.walk(base):
                self.allowed_positions.add(id(n))
        for st in node.body:
            for n in ast.walk(st) if not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)) else []:
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id.startswith("__"):
                    self.flag(n, f"class `{node.name}` sets the special attribute `{n.id}`")
        # methods directly in the class may set self.<name>
        self.class_depth.append(True)
        for st in node.body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if st.name.startswith("__") and st.name != "__init__" and not (record and st.name == "__post_init__"):
                    self.flag(st, f"defines the special method `{st.name}` (custom comparisons or conversions)")
                for d in st.decorator_list:
                    if isinstance(d, ast.Name) and d.id in METHOD_DECORATORS:
                        self.method_decorators.add(id(d))
                self._allow_annotations(st)
                self.generic_visit(st)
            else:
                self.visit(st)
        self.class_depth.pop()

    def visit_Global(self, node: ast.Global) -> None:
        self.flag(node, "uses `global`: a function may not rebind notebook-level names")


def _is_dtype_class(cls: type) -> bool:
    """numpy's scalar types (np.float32, np.int64): passed as values where a dtype is asked (dtype=np.float32)."""
    import numpy as np

    return issubclass(cls, np.generic)


def _is_module_class(cls: type) -> bool:
    import torch.nn

    return issubclass(cls, torch.nn.Module)


def screen_cell(source: str, modules: dict[str, str], protected: set[str]) -> list[Finding]:
    """Findings for one student-written code cell (empty when it may run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        from IPython.core.inputtransformer2 import TransformerManager

        if "get_ipython()" in TransformerManager().transform_cell(source):
            return [Finding(err.lineno or 0, "uses IPython magics or shell commands (% or !), which graded "
                                              "notebooks may not")]
        return []  # a plain syntax error: the cell fails by itself, like any wrong answer
    visitor = _Screen(modules)
    visitor.visit(tree)
    for name, line, imported in _top_level_bindings(tree):
        if name in protected and (imported is None or imported != modules.get(name)):
            visitor.findings.append(Finding(line, f"rebinds `{name}`, a name the grader's checks rely on"))
    return sorted(set(visitor.findings), key=lambda f: (f.line, f.problem))


def grader_names(trusted_sources: list[str]) -> tuple[dict[str, str], set[str]]:
    """From the grader's own cells: the modules they import (name -> module) and the names to protect."""
    modules: dict[str, str] = {}
    for src in trusted_sources:
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        scan = _Screen({})
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                scan.visit(node)
        modules.update(scan.modules)
    return modules, BUILTIN_NAMES | set(modules)
