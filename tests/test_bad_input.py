"""Bad submissions: each student gets a clear status, the others are graded, nothing submitted is modified."""

from __future__ import annotations

import hashlib
import shutil

import nbformat
import pytest
from corpus import solved
from nbgrader.api import Gradebook

from grading.course.paths import COURSE, run_nbgrader
from grading.judging.submissions import statuses

NB = "01_autograd_basics"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input") / "course"
    root.mkdir()
    shutil.copy(COURSE / "nbgrader_config.py", root)
    shutil.copytree(COURSE / "source" / NB, root / "source" / NB)
    assert run_nbgrader(root, "generate_assignment", NB).returncode == 0
    good = nbformat.writes(solved(NB))
    stripped = solved(NB)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
    files = {
        "good": (f"{NB}.ipynb", good),
        "truncated": (f"{NB}.ipynb", good[: len(good) // 2]),
        "renamed": (f"{NB} (1).ipynb", good),
        "no_metadata": (f"{NB}.ipynb", nbformat.writes(stripped)),
        "missing": ("notes.txt", "I forgot the notebook"),
    }
    for student, (filename, text) in files.items():
        folder = root / "submitted" / student / NB
        folder.mkdir(parents=True)
        (folder / filename).write_text(text, encoding="utf-8")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "submitted").rglob("*") if p.is_file()}
    proc = run_nbgrader(root, "autograde", NB, "--create")
    return root, before, proc


def test_statuses_say_what_is_wrong_and_what_to_do(course):
    """Every bad submission gets a status naming the problem and the fix; the good one is ok."""
    root, _, _ = course
    found = statuses(root, NB)
    assert found["good"] == "ok"
    assert found["truncated"].startswith("not a notebook") and "submit again" in found["truncated"]
    assert found["renamed"].startswith("renamed") and f"rename it to {NB}.ipynb" in found["renamed"]
    assert found["no_metadata"].startswith("grader metadata lost") and "fresh copy" in found["no_metadata"]
    assert found["missing"].startswith("missing")


def test_the_good_submission_is_graded(course):
    """The bad submissions beside it do not stop the good one from being graded in full."""
    root, _, proc = course
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        sub = gb.find_submission_notebook(NB, NB, "good")
        assert sub.score == sub.max_score == 13, f"good scored {sub.score}/{sub.max_score}:\n{proc.stderr[-3000:]}"
        stripped = gb.find_submission_notebook(NB, NB, "no_metadata")
        assert stripped.score == 0


def test_submissions_are_not_modified(course):
    """Grading reads the submission folders and never writes to them."""
    root, before, _ = course
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "submitted").rglob("*") if p.is_file()}
    assert after == before


def test_cli_usage_errors(tmp_path):
    """A folder that is not a course, or a course with no submissions, is a usage error (exit 2) with a message."""
    import subprocess
    import sys

    from conftest import REPO

    def run(*args):
        return subprocess.run([sys.executable, "-m", "grading.judging.submissions", *args], cwd=REPO,
                              capture_output=True, text=True, check=False)

    proc = run(NB, "--course", str(tmp_path))
    assert proc.returncode == 2 and "no nbgrader_config.py" in proc.stderr
    shutil.copy(COURSE / "nbgrader_config.py", tmp_path)
    proc = run(NB, "--course", str(tmp_path))
    assert proc.returncode == 2 and "no submissions" in proc.stderr
