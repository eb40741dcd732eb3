"""Tamper screen: student code that reaches into the grading machinery, found before anything of it runs.

The verdicts do not depend on it: hidden tests run in the grader's process and only data comes back from the
kernel (grading/judging/proxies.py), so a patched `math.isclose` or an object whose `__eq__` always succeeds
changes nothing the grader computes. What the grader still takes on the kernel's word is what the kernel
reports about side effects (an argument left untouched, grad mode restored), and code that patches libraries or
uses reflection could make the kernel's side of a call report something false. So the screen flags such code
for a human, and in a flagged submission only the checks that read such reports score 0
(grading/judging/integrity.py).

What it flags (rules that right answers, honest debugging habits included, never need):

- imports outside a list of modules (torch, numpy, math, the harmless standard library such as sys, time,
  os.path, warnings, re), `from m import *`;
- reflection: eval/exec/compile/open/getattr/setattr/globals/vars/get_ipython/..., `type` with other than one
  argument, dunder names or attributes (except `super().__init__` and `__name__`), private `_attributes`,
  sys.modules and trace hooks, IPython magics or shell escapes;
- patching: assignment to attributes of modules or classes (only `self.x`, and `.grad`, `.data`,
  `.requires_grad` of a plain name), rebinding builtins or the names the grader's cells import; modules and
  classes may be called, subclassed (nn.Module only), used in isinstance or as attribute bases, never stored
  or passed around (that is how an alias to patch through is made);
- classes that derive from anything but nn.Module or define special methods other than `__init__` (methods
  may be static or class methods, or properties).

Printing (to stdout or stderr), warnings, `type(x)`, timing a call and helpers of one's own are not flagged.
`grading/judging/integrity.py` checks the grader cells themselves (edited, deleted, moved, retyped).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from dataclasses import dataclass

ALLOWED_MODULES = {"torch", "numpy", "math", "random", "itertools", "functools", "typing", "collections",
                   "copy", "warnings", "matplotlib", "__future__", "sys", "time", "re", "string", "statistics",
                   "fractions", "decimal", "operator", "dataclasses", "enum", "textwrap", "pprint", "timeit",
                   "datetime", "numbers", "heapq", "bisect", "array", "contextlib", "posixpath", "ntpath"}
ALLOWED_SUBMODULES = {"os.path"}  # `import os.path`, `from os import path`: os itself stays off the list
SYS_DENIED = {"modules", "settrace", "setprofile", "gettrace", "getprofile", "meta_path", "path_hooks",
              "path_importer_cache", "excepthook", "displayhook", "addaudithook", "setrecursionlimit",
              "stdout", "stderr", "stdin"}  # print(..., file=sys.stderr) is fine: only assigning them is not
SYS_READABLE = {"stdout", "stderr"}
DENIED_MODULES = {"torch.library", "torch.ops", "torch.overrides", "torch.utils.cpp_extension", "torch.hub",
                  "torch.multiprocessing", "torch.distributed", "torch.testing._internal", "numpy.ctypeslib",
                  "matplotlib.testing"}
DENIED_NAMES = {"eval", "exec", "compile", "__import__", "open", "globals", "locals", "vars", "getattr", "setattr",
                "delattr", "breakpoint", "exit", "quit", "input", "get_ipython", "type", "object", "property",
                "classmethod", "staticmethod", "memoryview", "help", "display"}
DENIED_ATTRS = {"mro", "as_subclass"}
# Decorators of a method in an nn.Module subclass: they change how the method is called, and patch nothing
METHOD_DECORATORS = {"staticmethod", "classmethod", "property"}
SETTABLE_ATTRS = {"grad", "data", "requires_grad"}
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
        if mod == "os" and not node.level and all(a.name == "path" for a in node.names):
            for a in node.names:
                self.modules[a.asname or a.name] = "os.path"
            return
        if node.level or not _module_allowed(mod):
            self.flag(node, f"imports from {mod or '.'}, which a graded notebook may not use")
            return
        for a in node.names:
            if a.name == "*":
                self.flag(node, f"`from {mod} import *` rebinds names the grader relies on")
            elif not _module_allowed(f"{mod}.{a.name}"):
                self.flag(node, f"imports {mod}.{a.name}, which a graded notebook may not use")
            elif inspect.ismodule(_resolve({"m": mod}, ast.Attribute(ast.Name("m"), a.name))):
                self.modules[a.asname or a.name] = f"{mod}.{a.name}"

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
        elif isinstance(node.value, ast.Name) and self.modules.get(node.value.id) == "os" and node.attr != "path":
            self.flag(node, f"uses `os.{node.attr}`: of os, only os.path may be used")
        elif isinstance(node.value, ast.Name) and self.modules.get(node.value.id) == "sys" and node.attr in SYS_DENIED \
                and not (node.attr in SYS_READABLE and isinstance(node.ctx, ast.Load)):
            self.flag(node, f"uses `sys.{node.attr}`, which can reach or change the grader's machinery")
        if node.attr == "__name__" and self._is_type_call(node.value):
            self.plain_type_calls.add(id(node.value.func))
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._check_attribute_store(node)
        elif inspect.ismodule(reached := _resolve(self.modules, node)) and not _module_allowed(reached.__name__):
            self.flag(node, f"reaches the module {reached.__name__} through `{ast.unparse(node)}`")
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
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root(node)
            if isinstance(root, ast.Name) and root.id in self.modules:
                self.flag(node, f"assigns into `{ast.unparse(node)}`, patching a library")
        self.generic_visit(node)

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
        if self._is_type_call(node):
            self.plain_type_calls.add(id(node.func))  # type(x) reads a class; type(name, bases, dict) makes one
        if isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "issubclass") and len(node.args) == 2:
            for n in ast.walk(node.args[1]):
                self.allowed_positions.add(id(n))
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

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.keywords or node.decorator_list:
            self.flag(node, f"class `{node.name}` uses a metaclass, keywords or decorators")
        for base in node.bases:
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
                if st.name.startswith("__") and st.name != "__init__":
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
