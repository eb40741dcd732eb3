"""The grading pipeline goes wherever grading/ is copied, and refuses to grade without all of it.

An instructor deploys the course by copying grading/ to a grading server. There, plain `nbgrader autograde`
loads the copied nbgrader_config.py, which imports the installed `grading` package: the tamper screen, the
sandboxed kernel (started per notebook, as plain nbgrader does), the flags and the feedback without hidden
tests all apply. If the package cannot be imported, or no sandbox can be made, nbgrader stops with a message
instead of grading with stock settings.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from classes import NB01, SERVER_ATTACKS, deployed_server
from conftest import REPO
from corpus import solved
from nbgrader.api import Gradebook

from grading.class_grading.classroom import hand_in
from grading.course.layout import HIDDEN_BEGIN
from grading.course.paths import run_nbgrader

NB = NB01

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Path:
    """The copy, graded by plain nbgrader (tests/classes.py): the solution, attacks on the kernel itself (and
    bad hand-ins, which make nbgrader exit 1: tests/test_bad_input.py)."""
    run = deployed_server(tmp_path_factory)
    assert REPO not in run.course.parents
    assert (run.course / "autograded" / "solved").is_dir(), run.autograde[1][-5000:]
    assert (run.course / "feedback" / "solved").is_dir(), run.feedback[1][-5000:]
    return run.course


def results(course: Path, students: tuple[str, ...]) -> dict[str, tuple[float, bool]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s: (nb.score, nb.flagged) for s in students for nb in [gb.find_submission_notebook(NB, NB, s)]}


def test_a_copy_outside_the_repository_grades_with_the_whole_pipeline(server):
    """The solution earns full marks unflagged; the attacks earn nothing and the screen flags them."""
    got = results(server, ("solved", *SERVER_ATTACKS))
    assert got["solved"] == (13, False), got
    for attack in SERVER_ATTACKS:
        assert got[attack][0] == 0, f"{attack}: {got[attack]}"
    assert got["os_exit"][1] and got["spawn_process"][1], "the tamper screen did not flag os and subprocess"


def test_a_kernel_that_dies_in_a_check_is_replaced_in_plain_nbgrader_too(server):
    """nbgrader's own kernel manager (a new sandbox per kernel, not the class grader's warm ones) replaces a
    kernel that died in a hidden check: that check scores 0, the later ones run and score, the notebook is
    flagged. Here the screen is on and flags the answer's os._exit, so vjp_via_backward_hidden_inputs (1 point),
    which takes the kernel's word about the caller's tensor, scores 0 too: 13 - 1 - 1."""
    score, flagged = results(server, ("kernel_dies_in_a_check",))["kernel_dies_in_a_check"]
    assert (score, flagged) == (11, True), f"expected 11/13 and flagged, got {score}/13, flagged={flagged}"


def test_the_copy_runs_student_code_in_the_sandbox(server):
    """The course folder is invisible to the kernel (the answer that reads the source notebook fails to find
    it), and nothing a submission started outlives its kernel."""
    nb = nbformat.read(server / "autograded" / "numpy_reads_files" / NB / f"{NB}.ipynb", as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "graph_grads")
    errors = [o for o in answer.outputs if o.output_type == "error"]
    assert errors and ("not found" in errors[0].evalue or "No such file" in errors[0].evalue), (
        f"the kernel could read the course's source notebook: {errors}")
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert "sleep 1234" not in ps, "a process started by a submission outlived its kernel"


def test_the_copy_writes_feedback_without_hidden_tests(server):
    """The feedback names each hidden check and says why a flagged one failed, never showing hidden test code."""
    for student in ("solved", "os_exit"):
        page = html.unescape((server / "feedback" / student / NB / f"{NB}.html").read_text(encoding="utf-8"))
        assert HIDDEN_BEGIN not in page and "_rng = random.Random(" not in page, f"{student}: hidden code shown"
        assert "hidden check 'graph_grads_hidden'" in page, f"{student}: the hidden check is not named"
    flagged = (server / "feedback" / "os_exit" / NB / f"{NB}.html").read_text(encoding="utf-8")
    assert "Flagged for review" in flagged and "private attribute" in flagged and "_exit" in flagged, (
        "the feedback of os_exit does not say it was flagged for os._exit")


def _solo(server: Path, target: Path) -> Path:
    """A copy of the deployed course (release and gradebook, no hand-ins) with one hand-in, the solution."""
    shutil.copytree(server, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    hand_in(target, {"solo": {NB: solved(NB)}})
    return target


def test_refuses_when_the_package_cannot_be_imported(server, tmp_path):
    """A `grading` package whose pipeline cannot be imported (here: a broken install, one of its modules needs a
    library that is missing) first on the path: nbgrader stops with what to install, before grading anything."""
    course = _solo(server, tmp_path / "course")
    shadow = tmp_path / "shadow" / "grading"
    (shadow / "judging").mkdir(parents=True)
    (shadow / "__init__.py").write_text('"""A broken install of the course package."""\n')
    (shadow / "judging" / "__init__.py").write_text("")
    (shadow / "judging" / "integrity.py").write_text("import a_library_that_is_not_installed\n")
    env = dict(os.environ, PYTHONPATH=str(shadow.parent))
    proc = run_nbgrader(course, "autograde", NB, "--create", env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"nbgrader graded without the pipeline (exit 0):\n{out[-3000:]}"
    assert "Refusing to run: the course's grading pipeline cannot be imported" in out, out[-3000:]
    assert "grading.judging.integrity.CheckIntegrity" in out and "pip install -e" in out, out[-3000:]
    assert not (course / "autograded").exists(), "something was graded"


def test_refuses_to_grade_without_a_sandbox(server, tmp_path):
    """With no bwrap on PATH, autograde refuses (and says how to opt out); with the opt-out it grades."""
    course = _solo(server, tmp_path / "course")
    env = {k: v for k, v in os.environ.items() if k != "GRADING_ALLOW_UNSANDBOXED"}
    env["PATH"] = str(Path(sys.executable).parent)  # no /usr/bin: no bwrap
    proc = run_nbgrader(course, "autograde", NB, "--create", env=env)
    assert proc.returncode != 0 and "Refusing to grade" in proc.stdout + proc.stderr, proc.stderr[-2000:]
    assert not (course / "autograded" / "solo").exists()
    proc = run_nbgrader(course, "autograde", NB, "--create", env=env | {"GRADING_ALLOW_UNSANDBOXED": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert results(course, ("solo",))["solo"] == (13, False)
