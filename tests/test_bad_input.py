"""Bad submissions: each student gets a clear status, the others are graded, nothing submitted is modified.

The hand-ins are those of the deployed course (tests/classes.py), graded by plain `nbgrader autograde`;
`python -m grading autograde` skips them with their status (tests/test_class_grading.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from classes import NB01, ServerRun, deployed_server, digest
from conftest import REPO
from nbgrader.api import Gradebook

from grading.course.paths import COURSE
from grading.judging.submissions import statuses

NB = NB01

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> ServerRun:
    return deployed_server(tmp_path_factory)


def test_statuses_say_what_is_wrong_and_what_to_do(server):
    """Every bad submission gets a status naming the problem and the fix; the good one is ok."""
    found = statuses(server.course, NB)
    assert found["solved"] == "ok"
    assert found["truncated"].startswith("not a notebook") and "submit again" in found["truncated"]
    assert found["renamed"].startswith("renamed") and f"rename it to {NB}.ipynb" in found["renamed"]
    assert found["no_metadata"].startswith("grader metadata lost") and "fresh copy" in found["no_metadata"]
    assert found["missing"].startswith("missing")


def test_the_good_submission_is_graded(server):
    """The bad submissions beside it do not stop the good one from being graded in full."""
    with Gradebook(f"sqlite:///{server.course / 'gradebook.db'}") as gb:
        sub = gb.find_submission_notebook(NB, NB, "solved")
        assert sub.score == sub.max_score == 13, f"solved scored {sub.score}/{sub.max_score}:\n{server.autograde[1]}"
        stripped = gb.find_submission_notebook(NB, NB, "no_metadata")
        assert stripped.score == 0


def test_submissions_are_not_modified(server):
    """Grading reads the submission folders and never writes to them."""
    assert digest(server.course / "submitted") == server.submitted_before


def test_cli_usage_errors(tmp_path):
    """A folder that is not a course, or a course with no submissions, is a usage error (exit 2) with a message."""

    def run(*args):
        return subprocess.run([sys.executable, "-m", "grading", "submissions", *args], cwd=REPO,
                              capture_output=True, text=True, check=False)

    proc = run(NB, "--course", str(tmp_path))
    assert proc.returncode == 2 and "no nbgrader_config.py" in proc.stderr
    shutil.copy(COURSE / "nbgrader_config.py", tmp_path)
    proc = run(NB, "--course", str(tmp_path))
    assert proc.returncode == 2 and "no submissions" in proc.stderr


def test_the_old_command_still_works(server):
    """`python -m grading.submissions` (the command before `python -m grading submissions`) prints the statuses."""
    proc = subprocess.run([sys.executable, "-m", "grading.submissions", NB, "--course", str(server.course)],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "renamed" in proc.stdout, proc.stdout + proc.stderr
