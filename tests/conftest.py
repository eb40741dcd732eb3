"""Shared helpers of the test suite."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (tests/lab_browser.py); a test asking for it skips first when either
    is missing (`missing_browser()`)."""
    from lab_browser import CHROMIUM
    from playwright.sync_api import sync_playwright  # here: the suite must import without it, to skip

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


# pytest-xdist starts each worker on two files and hands out the rest, in collection order, as workers free up
# (--no-loadscope-reorder in pyproject.toml leaves the order to this hook). The long chains start first, side by
# side: the browser test (about 150 s of one worker); test_autograde, which grades the plain-nbgrader sample
# while test_class_grading, on another worker, grades the corpus class it then also reads; the tamper class
# and the grader copied outside the repository; the Dask clusters. The rest follow, most tests first.
FIRST = ("test_lab.py", "test_autograde.py", "test_class_grading.py", "test_tamper.py", "test_fail_closed.py",
         "test_resume.py", "test_cluster.py", "test_demo.py", "test_cpu_kernels.py", "test_kinds.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {f"tests/{name}": i for i, name in enumerate(FIRST)}
    counts = Counter(item.nodeid.split("::")[0] for item in items)

    def order(item: pytest.Item) -> tuple[int, int]:
        file = item.nodeid.split("::")[0]
        return rank.get(file, len(rank)), -counts[file]

    items.sort(key=order)  # stable: a file's tests keep their order
