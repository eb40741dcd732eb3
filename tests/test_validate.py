"""One test, two runners: the graded test cells that the grader runs in its own process (hidden tests behind
proxies, grading/judging/runner.py) also pass where there is no grader around them. nbval runs every one of
them in the kernel for solutions/ (pytest's --nbval; tests/test_sync.py keeps solutions/ equal to the sources).
Here `nbgrader validate` runs them as an author does, on notebook 02, whose two "library helpers switched off"
tests were rewritten to work under both runners; the other notebooks' runs would repeat nbval's (about 25 s)."""

from __future__ import annotations

import pytest

from grading.course.paths import COURSE, run_nbgrader

pytestmark = pytest.mark.e2e

PASSED = "Success! Your notebook passes all the tests."
NB02 = "02_grad_higher_order"


def test_nbgrader_validate_passes_the_source_notebook():
    """The source notebook, hidden tests included, passes `nbgrader validate` (which exits 0 whatever happens,
    so its report is read)."""
    proc = run_nbgrader(COURSE, "validate", f"source/{NB02}/{NB02}.ipynb")
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0 and PASSED in report and "VALIDATION FAILED" not in report, report[-4000:]
