"""Shared helpers of the test suite."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helper modules beside this file

from grading.course.paths import SOLUTION_DIR, STUDENT_DIR, source_path


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def source_nb(name: str) -> nbformat.NotebookNode:
    return read(source_path(name))


def student_nb(name: str) -> nbformat.NotebookNode:
    return read(STUDENT_DIR / f"{name}.ipynb")


def solution_nb(name: str) -> nbformat.NotebookNode:
    return read(SOLUTION_DIR / f"{name}.ipynb")


# nbgrader's Gradebook runs `alembic` from PATH: make this interpreter's scripts findable
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
