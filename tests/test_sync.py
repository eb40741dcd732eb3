"""notebooks/ and solutions/ are what `make notebooks` makes from grading/source.

The student versions are regenerated (nbgrader, no kernel) and compared byte for byte. The solved
versions are compared cell by cell without outputs; their outputs are checked by nbval, which
re-executes them, so no notebook is executed twice by the suite.
"""

from __future__ import annotations

import copy
import difflib

import nbformat
import pytest
from conftest import solution_nb, source_nb
from course_contract import NOTEBOOKS

from grading.authoring.generate import render, rules_page, solution_version, student_versions
from grading.course.paths import STUDENT_DIR


def _diff(expected: str, got: str, label: str) -> str:
    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(), f"regenerated {label}", f"stored {label}",
                                 lineterm="", n=1)
    return "\n".join(list(lines)[:40])


def _without_outputs(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


@pytest.fixture(scope="module")
def regenerated_students():
    return student_versions(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_student_notebook_is_in_sync(name, regenerated_students):
    """notebooks/<nb>.ipynb is exactly nbgrader's release of grading/source (run `make notebooks`)."""
    expected = render(regenerated_students[name])
    stored = (STUDENT_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
    assert stored == expected, "notebooks/ is stale, run `make notebooks`:\n" + _diff(expected, stored, name)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solution_notebook_is_in_sync(name):
    """solutions/<nb>.ipynb has the source's cells and metadata (outputs are nbval's business)."""
    expected = render(solution_version(source_nb(name), name))
    stored = render(_without_outputs(solution_nb(name)))
    assert stored == expected, "solutions/ is stale, run `make notebooks`:\n" + _diff(expected, stored, name)


def test_rules_page_is_in_sync():
    """notebooks/GRADING.md, the rules every notebook links to, is grading/course/GRADING.md (run `make
    notebooks`)."""
    stored = (STUDENT_DIR / "GRADING.md").read_text(encoding="utf-8")
    assert stored == rules_page(), "notebooks/GRADING.md is stale, run `make notebooks`"


def test_every_notebook_links_to_the_rules_page():
    """Each student notebook's first cell links to GRADING.md, beside it in notebooks/ (a link out of notebooks/
    would not open in a student's JupyterLab)."""
    for name in NOTEBOOKS:
        first = nbformat.read(STUDENT_DIR / f"{name}.ipynb", as_version=4).cells[0].source
        assert "](GRADING.md)" in first, f"{name}: its first cell does not link to GRADING.md"
