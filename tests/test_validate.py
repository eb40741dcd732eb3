"""One test, two runners: the graded test cells that the grader runs in its own process (hidden tests behind
proxies, grading/judging/proxies.py) also pass where there is no grader around them. nbval runs them in the
kernel for solutions/ (pytest's --nbval); here `nbgrader validate` runs the source notebooks, as an author does."""

from __future__ import annotations

import pytest
from course_contract import NOTEBOOKS

from grading.course.paths import COURSE, run_nbgrader

pytestmark = pytest.mark.e2e

PASSED = "Success! Your notebook passes all the tests."


def test_nbgrader_validate_passes_the_source_notebooks():
    """Every source notebook, hidden tests included, passes `nbgrader validate` (which exits 0 whatever happens,
    so its report is read)."""
    proc = run_nbgrader(COURSE, "validate", *(f"source/{nb}/{nb}.ipynb" for nb in NOTEBOOKS))
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0 and report.count(PASSED) == len(NOTEBOOKS), report[-4000:]
    assert "VALIDATION FAILED" not in report, report[-4000:]
