"""Checks of a source notebook's nbgrader metadata, run before anything is generated.

nbgrader's own errors name neither the cell nor the fix; these do.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat

GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
MARKERS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
}


class SourceError(Exception):
    """A source notebook that cannot be turned into a student and a solved version."""


def _balanced(text: str, begin: str, end: str) -> bool:
    depth = 0
    for line in text.splitlines():
        if line.strip() == begin:
            depth += 1
        elif line.strip() == end:
            depth -= 1
        if depth not in (0, 1):
            return False
    return depth == 0


def _starts_with_docstring(code: str) -> bool:
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)


def _ends_with_value(code: str) -> bool:
    """True when the last statement is an expression whose value Jupyter would display (not a print call).

    nbgrader reads a number displayed by a test cell as its partial score, so a test cell that ends with, say,
    a call to the student's function would let the student choose the score."""
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    last = body[-1] if len(body) > 1 else None
    if not isinstance(last, ast.Expr):
        return False
    call = last.value
    # print() and the test's own _helpers() return None; anything else may be the student's value
    return not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and (call.func.id == "print" or call.func.id.startswith("_")))


def cell_problems(cell: dict) -> list[str]:
    """What is wrong with one cell's nbgrader metadata and markers (empty when nothing is)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    text = cell.get("source", "")
    text = "".join(text) if isinstance(text, list) else text
    problems = []
    if meta is None:
        for kind, (begin, _) in MARKERS.items():
            if begin in text:
                problems.append(f"has a '{begin}' marker but no nbgrader metadata")
        return problems
    if not isinstance(meta, dict):
        return ["nbgrader metadata is not a dictionary"]
    gid = meta.get("grade_id")
    if not isinstance(gid, str) or not GRADE_ID.match(gid):
        problems.append(f"grade_id {gid!r} is missing or not made of letters, digits, '_' and '-'")
    if meta.get("schema_version") != 3:
        problems.append(f"schema_version is {meta.get('schema_version')!r}, nbgrader 0.9 needs 3")
    for key in ("solution", "grade", "locked"):
        if not isinstance(meta.get(key), bool):
            problems.append(f"'{key}' is {meta.get(key)!r}, expected true or false")
    if problems:
        return problems
    if meta["grade"]:
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            problems.append(f"a graded cell needs 'points' >= 0, got {points!r}")
    if meta["solution"] and cell.get("cell_type") != "code":
        problems.append("answer cells of this course are code cells (autograded)")
    is_test = meta["grade"] and not meta["solution"]
    if is_test and cell.get("cell_type") == "code" and not _starts_with_docstring(text):
        problems.append("a test cell must start with a one-line docstring saying what it checks")
    if is_test and cell.get("cell_type") == "code" and _ends_with_value(text):
        problems.append("a test cell must not end with an expression: nbgrader would read its value as the score")
    for kind, (begin, end) in MARKERS.items():
        if begin in text or end in text:
            allowed = meta["solution"] if kind == "solution" else is_test
            if not allowed:
                where = "answer" if kind == "solution" else "test"
                problems.append(f"'{begin}' belongs in {where} cells only")
            elif not _balanced(text, begin, end):
                problems.append(f"'{begin}' and '{end}' are not paired")
    return problems


def check_source(path: Path) -> nbformat.NotebookNode:
    """Read and check a source notebook; raise SourceError naming the notebook and cell."""
    rel = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, ValueError) as e:
        raise SourceError(f"{rel}: cannot read the notebook: {e}") from None
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except (nbformat.ValidationError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise SourceError(f"{rel}: not a valid nbformat 4 notebook: {str(e).splitlines()[0]}") from None
    if path.stem != path.parent.name:
        raise SourceError(f"{rel}: the notebook must be named like its folder ({path.parent.name}.ipynb)")
    errors, seen = [], {}
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        label = f"cell {i}" + (f" (grade_id '{gid}')" if gid else "")
        errors += [f"{rel}: {label}: {p}" for p in cell_problems(cell)]
        if isinstance(gid, str):
            if gid in seen:
                errors.append(f"{rel}: {label}: duplicate grade_id, already used by cell {seen[gid]}")
            seen.setdefault(gid, i)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        errors.append(f"{rel}: kernelspec is {kernel!r}, the course pins 'python3'")
    if errors:
        raise SourceError("\n".join(errors))
    return nb
