"""Library helpers an exercise bans, found in the student's code as handed in, not in what the kernel reports.

`jacobian` and `hessian` in notebook 02 must be built from torch.autograd.grad. A check that watches, inside the
kernel, who calls the function being differentiated can be fooled by the kernel (a patched sys._getframe) and
misses a helper that never calls into that function. This module reads the source instead: from the exercise's
function, every function of the student's it names (helpers, however deep), and the imports of every cell, it
lists each use of a banned module (`torch.autograd.functional.jacobian`, `from torch.func import jacrev`, an
alias of either). Reflection that would hide such a use (getattr with a string, `__import__`, importlib) is what
the tamper screen flags (grading/judging/screen.py), so a check decided here costs a flagged notebook its points
like a check that takes the kernel's word.

The sources are the submitted notebook's code cells before the check, as the grader holds them (the kernel is
not asked): grader cells excluded, the student's answer cells and cells of their own included.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from typing import Any

JACOBIAN_HELPERS = ("torch.autograd.functional", "torch.func", "functorch", "torch._functorch")


def _aliases(trees: Iterable[ast.AST]) -> dict[str, str]:
    """Names bound by imports anywhere in the code -> the dotted path they name."""
    found: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    found[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    found[a.asname or a.name] = f"{node.module}.{a.name}"
    return found


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([aliases.get(node.id, node.id), *reversed(parts)])


def _banned(path: str | None, banned: tuple[str, ...]) -> bool:
    return path is not None and any(path == b or path.startswith(b + ".") for b in banned)


def helpers_in_sources(sources: Iterable[str], exercise: str, banned: tuple[str, ...] = JACOBIAN_HELPERS) -> list[str]:
    """Each use of a module of `banned` in the code that the function `exercise` runs: its own body and those of
    the student's functions it names, transitively ('line: code')."""
    trees = []
    for src in sources:
        try:
            trees.append(ast.parse(src))
        except SyntaxError:  # magics, or a cell that does not parse: it defines nothing either
            continue
    defs: dict[str, ast.AST] = {}
    for tree in trees:
        for st in tree.body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs[st.name] = st
            elif isinstance(st, ast.Assign) and isinstance(st.value, ast.Lambda):
                for t in st.targets:
                    if isinstance(t, ast.Name):
                        defs[t.id] = st
    aliases = _aliases(trees)
    if exercise not in defs:
        return []
    seen, todo, found = {exercise}, [exercise], []
    while todo:
        body = defs[todo.pop()]
        for node in ast.walk(body):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"line {node.lineno}: {ast.unparse(node)}" for n in names if _banned(n, banned)]
            elif isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
                if _banned(_dotted(node, aliases), banned) and not (
                        isinstance(node, ast.Attribute) and _banned(_dotted(node.value, aliases), banned)):
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
                if isinstance(node, ast.Name) and node.id in defs and node.id not in seen:
                    seen.add(node.id)
                    todo.append(node.id)
    return sorted(set(found))


def library_helpers_reached(fn: Callable[..., Any], exercise: str,
                            banned: tuple[str, ...] = JACOBIAN_HELPERS) -> list[str]:
    """The uses of a banned library helper in the student's code of `exercise`, `fn` being the grader's proxy of
    it. A hidden test reaches this as `_grading_helpers_reached` (grading/judging/runner.py puts it in the tests'
    namespace); in a kernel with no grader the name is undefined and the test's own check decides alone."""
    runner = fn._runner
    runner.kernel_word = True  # decided on code the screen vouches for: a flag costs this check too
    return helpers_in_sources(runner.student_sources, exercise, banned)
