"""`python -m grading autograde` interrupted with Ctrl-C and run again: it resumes where it stopped.

The class is a few students of the tamper class (tests/classes.py); its uninterrupted grading is the reference.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest
from classes import NB01, ClassRun, grader_env, leftovers, run_autograde, tamper_class
from conftest import REPO

from grading.class_grading.classroom import gradebook_scores

NB = NB01
RESUMED = ["solved", "stub", "os_exit", "cells_test_deleted", "broken"]  # broken: an invalid file, never graded

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tamper(tmp_path_factory) -> ClassRun:
    return tamper_class(tmp_path_factory).succeeded()


def test_resumes_after_ctrl_c(tamper, tmp_path):
    """Ctrl-C: exit 130, nothing left running, every finished student complete in the gradebook; the next
    run grades only what is missing, and the class ends with the scores of an uninterrupted run."""
    course = tmp_path / "course"
    shutil.copytree(tamper.ungraded, course)
    for folder in (course / "submitted").iterdir():
        if folder.name not in RESUMED:
            shutil.rmtree(folder)
    total = len(RESUMED) - 1
    complete = {k: v for k, v in gradebook_scores(tamper.course).items() if k[0] in RESUMED}
    marker = tmp_path / "marker"
    # one worker: notebooks are graded one after another, and the run is stopped after the second
    proc = subprocess.Popen([sys.executable, "-m", "grading", "autograde", "--course", str(course), "--jobs", "1"],
                            cwd=REPO, env=grader_env(marker), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list((course / "autograded").glob("*/*"))) < 2:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, f"exit {proc.returncode} after Ctrl-C:\n{out[-3000:]}"
    assert not leftovers(marker), leftovers(marker)
    done = {p.parent.name for p in (course / "autograded").glob(f"*/{NB}")}
    assert 2 <= len(done) < total, f"expected an interrupted run, graded: {sorted(done)}"
    partial = gradebook_scores(course)
    assert {s for s, _, _ in partial} >= done, "a student's notebook was published without its grades"
    assert all(partial[k] == complete[k] for k in partial), "a partly graded student's scores differ"
    stamp = {s: (course / "autograded" / s / NB / f"{NB}.ipynb").stat().st_mtime_ns for s in done}

    again = run_autograde(course, "--jobs", "1", marker=marker)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert f"grading {total - len(done)} notebooks ({len(done) + 1} already graded or invalid)" in again.stdout
    assert {s: (course / "autograded" / s / NB / f"{NB}.ipynb").stat().st_mtime_ns for s in done} == stamp
    assert gradebook_scores(course) == complete

    nothing = run_autograde(course, marker=marker)
    assert "grading 0 notebooks" in nothing.stdout, nothing.stdout
    forced = run_autograde(course, "--force", "--student", "solved", marker=marker)
    assert "grading 1 notebooks" in forced.stdout and forced.returncode == 0, forced.stdout + forced.stderr
    assert not leftovers(marker), leftovers(marker)


