"""`python -m grading autograde` and `python -m grading demo`, run as an instructor runs them, on scratch courses.

(Identical scores to plain nbgrader on the whole corpus: tests/test_autograde.py.)
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import REPO

from grading.class_grading.classroom import gradebook_scores, hand_in, mixed_class, scratch_course, solved, with_answers
from grading.course.layout import HIDDEN_BEGIN

NB = "01_autograd_basics"
LOOP = "def graph_grads(w, x):\n    while True:\n        pass\n"


def run(course: Path, *args: str, marker: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grading", "autograde", "--course", str(course), *args],
                          cwd=REPO, env=_env(marker), capture_output=True, text=True, timeout=timeout, check=False)


def _env(marker: Path) -> dict[str, str]:
    # every temporary folder of the run (the sandboxes' sockets) lives under `marker`, which finds its processes
    marker.mkdir(parents=True, exist_ok=True)
    return dict(os.environ, TMPDIR=str(marker))


def leftovers(marker: Path) -> list[str]:
    """Processes of a finished run still alive: workers (TMPDIR in their environment), sandboxes (in argv)."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if str(marker) in " ".join(p.info["cmdline"] or []) or p.environ().get("TMPDIR") == str(marker):
                found.append(f"{p.pid}: {' '.join(p.info['cmdline'] or [])[:120]}")
        except psutil.Error:
            continue
    return found


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def ungraded(tmp_path_factory) -> Path:
    """One assignment, ten students: the corpus mix, one endless loop, one file that is not a notebook."""
    root = tmp_path_factory.mktemp("class") / "course"
    scratch_course(root, [NB])
    with open(root / "nbgrader_config.py", "a") as f:
        f.write("\nc.Execute.timeout = 5  # the looping student should not hold the test up\n")
    roster = mixed_class(8, [NB])
    roster["looper"] = {NB: with_answers(solved(NB), {"graph_grads": LOOP})}
    hand_in(root, roster)
    broken = root / "submitted" / "broken" / NB
    broken.mkdir(parents=True)
    (broken / f"{NB}.ipynb").write_text("{ not json")
    return root


@pytest.fixture(scope="module")
def graded(ungraded, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, Path, dict]:
    course = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(ungraded, course)
    before = digest(course / "submitted")
    marker = tmp_path_factory.mktemp("marker")
    return course, run(course, "--jobs", "2", marker=marker), marker, before


def row(output: str, student: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(student + " "))


def test_grades_the_class_and_prints_the_summary(graded):
    """Exit 0; the summary gives scores, the timeout and the invalid file with what to do about it."""
    _, proc, _, _ = graded
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    out = proc.stdout
    assert "13/13" in row(out, "student001"), out  # solved
    assert "0/13" in row(out, "student002"), out  # untouched stub
    assert "timeout" in row(out, "looper"), f"the endless loop is not reported as a timeout:\n{out}"
    assert "invalid file" in row(out, "broken"), out
    assert "broken/01_autograd_basics: not a notebook" in out, "the invalid file's status is not explained"
    assert "[9/9]" in out, f"expected one plain progress line per graded notebook (stdout is not a terminal):\n{out}"


def test_writes_grades_csv_autograded_notebooks_and_feedback(graded):
    """grades.csv in nbgrader export's format; an autograded notebook and a feedback page per graded student;
    no hidden test code in the feedback; the staging folder gone."""
    course, _, _, _ = graded
    with open(course / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert rows and {"assignment", "student_id", "raw_score", "score", "max_score"} <= set(rows[0])
    scores = {r["student_id"]: float(r["score"]) for r in rows}
    assert scores["student001"] == 13 and scores["student002"] == 0, scores
    students = [f"student{i:03d}" for i in range(1, 9)] + ["looper"]
    for student in students:
        assert (course / "autograded" / student / NB / f"{NB}.ipynb").is_file(), student
        page = (course / "feedback" / student / NB / f"{NB}.html").read_text()
        assert HIDDEN_BEGIN not in page, f"{student}'s feedback shows hidden test code"
    assert not (course / "autograded" / "broken").exists()
    assert not (course / ".autograde-staging").exists()


def test_leaves_submissions_and_processes_alone(graded):
    """Submitted files are byte-identical afterwards, and no worker, sandbox or kernel is left running."""
    course, _, marker, before = graded
    assert digest(course / "submitted") == before
    assert not leftovers(marker), leftovers(marker)


def test_resumes_after_ctrl_c(ungraded, graded, tmp_path):
    """Ctrl-C: exit 130, nothing left running, every finished student complete in the gradebook; the next
    run grades only what is missing, and the class ends with the scores of an uninterrupted run."""
    course = tmp_path / "course"
    shutil.copytree(ungraded, course)
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-m", "grading", "autograde", "--course", str(course), "--jobs", "2"],
                            cwd=REPO, env=_env(marker), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list((course / "autograded").glob("*/*"))) < 2:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, f"exit {proc.returncode} after Ctrl-C:\n{out[-3000:]}"
    assert not leftovers(marker), leftovers(marker)
    done = {p.parent.name for p in (course / "autograded").glob(f"*/{NB}")}
    assert 2 <= len(done) < 9, f"expected an interrupted run, graded: {sorted(done)}"
    partial = gradebook_scores(course)
    assert {s for s, _, _ in partial} >= done, "a student's notebook was published without its grades"
    complete = gradebook_scores(graded[0])
    assert all(partial[k] == complete[k] for k in partial), "a partly graded student's scores differ"
    stamp = {s: (course / "autograded" / s / NB / f"{NB}.ipynb").stat().st_mtime_ns for s in done}

    again = run(course, "--jobs", "2", marker=marker)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert f"grading {9 - len(done)} notebooks ({len(done) + 1} already graded or invalid)" in again.stdout
    assert {s: (course / "autograded" / s / NB / f"{NB}.ipynb").stat().st_mtime_ns for s in done} == stamp
    assert gradebook_scores(course) == complete

    nothing = run(course, marker=marker)
    assert "grading 0 notebooks" in nothing.stdout, nothing.stdout
    forced = run(course, "--force", "--student", "student001", marker=marker)
    assert "grading 1 notebooks" in forced.stdout and forced.returncode == 0, forced.stdout + forced.stderr
    assert not leftovers(marker), leftovers(marker)


@pytest.mark.parametrize(("args", "message"), [
    (["no_such_assignment"], "unknown assignment no_such_assignment"),
    (["--student", "nobody"], "no submissions from student nobody"),
    (["--jobs", "0"], "--jobs must be at least 1"),
])
def test_usage_errors_exit_2(ungraded, tmp_path, args, message):
    """A clear message and exit 2, before anything is graded."""
    proc = run(ungraded, *args, marker=tmp_path / "marker")
    assert proc.returncode == 2 and message in proc.stderr, (proc.returncode, proc.stderr)
    assert not (ungraded / "autograded").exists()


def test_usage_errors_about_the_course(ungraded, tmp_path):
    """Not a course, no gradebook, nothing submitted: exit 2 with what to do."""
    marker = tmp_path / "marker"
    not_course = tmp_path / "empty"
    not_course.mkdir()
    proc = run(not_course, marker=marker)
    assert proc.returncode == 2 and "no nbgrader_config.py" in proc.stderr, proc.stderr
    no_gradebook = tmp_path / "no_gradebook"
    shutil.copytree(ungraded, no_gradebook)
    (no_gradebook / "gradebook.db").unlink()
    proc = run(no_gradebook, marker=marker)
    assert proc.returncode == 2 and "generate_assignment" in proc.stderr, proc.stderr
    nothing = tmp_path / "nothing_submitted"
    shutil.copytree(ungraded, nothing)
    shutil.rmtree(nothing / "submitted")
    proc = run(nothing, marker=marker)
    assert proc.returncode == 2 and "nothing to grade" in proc.stderr, proc.stderr


def test_demo_prints_the_class_summary(tmp_path):
    """`python -m grading demo` (make grade): full marks, zeros, a flag and an invalid file in the summary."""
    proc = subprocess.run([sys.executable, "-m", "grading", "demo", "--jobs", "2"], cwd=REPO,
                          env=_env(tmp_path / "marker"), capture_output=True, text=True, timeout=900, check=False)
    out = proc.stdout
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{out[-3000:]}\n{proc.stderr[-3000:]}"
    assert row(out, "ada").split()[1:] == ["13/13", "22/22", "13/13", "17/17"], out
    assert row(out, "ben").split()[1:] == ["0/13", "0/22", "0/13", "0/17"], out
    assert "flag" in row(out, "fay") and "invalid file" in row(out, "fay"), out
    assert not leftovers(tmp_path / "marker")
