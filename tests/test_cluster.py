"""`python -m grading autograde --scheduler ADDRESS`: the class grader on a real Dask cluster (a `dask scheduler`
and `dask worker` processes on localhost, tests/dask_cluster.py), each worker blind to the course folder.

The reference is the local run of the corpus class (tests/classes.py): the cluster must give exactly its scores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from classes import ClassRun, corpus_class, corpus_ungraded, grader_env, run_autograde
from conftest import REPO
from dask_cluster import cluster, missing_unshare

from grading.class_grading.classroom import gradebook_scores

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(missing_unshare() is not None, reason=str(missing_unshare()))]

# every notebook of the corpus class, handed in right, untouched, wrong and written differently: 16 notebooks,
# each exercise's first wrong answer and first right answer (a whole class on a cluster would double the suite)
SAMPLE = ("solved", "stub", "wrong_1", "right_1")


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> ClassRun:
    return corpus_class(tmp_path_factory).succeeded()


def hidden(tmp_path_factory) -> Path:
    """The folder every course of the tests lives under (this session's, shared by the xdist workers), which the
    Dask workers must not see."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def sample_course(tmp_path_factory, students=SAMPLE, assignments=None) -> Path:
    course = tmp_path_factory.mktemp("cluster") / "course"
    shutil.copytree(corpus_ungraded(tmp_path_factory), course)
    for folder in (course / "submitted").iterdir():
        if folder.name not in students:
            shutil.rmtree(folder)
        elif assignments:
            for a in folder.iterdir():
                if a.name not in assignments:
                    shutil.rmtree(a)
    return course


def scores(course: Path, students) -> dict:
    return {k: v for k, v in gradebook_scores(course).items() if k[0] in students}


def autograde(course: Path, address: str, marker: Path, *args: str) -> subprocess.CompletedProcess:
    return run_autograde(course, "--scheduler", address, *args, marker=marker)


def grade_and_break(course: Path, c, marker: Path, breaking) -> tuple[int, str]:
    """Grade `course` on the cluster `c`; call `breaking()` once the first notebook is published; exit, output."""
    proc = subprocess.Popen([sys.executable, "-m", "grading", "autograde", "--course", str(course),
                             "--scheduler", c.address], cwd=REPO, env=grader_env(marker),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list(course.glob("autograded/*/*/*.ipynb")):
        time.sleep(0.2)
    breaking()
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out


def test_a_cluster_grades_like_the_local_run(local, tmp_path_factory):
    """16 notebooks on two workers that cannot see the course: exit 0, the local run's score for every check,
    every autograded notebook and feedback page written by the main process, the report too."""
    course = sample_course(tmp_path_factory)
    work = tmp_path_factory.mktemp("cluster-run")
    with cluster(work / "dask", hidden(tmp_path_factory)) as c:
        from distributed import Client

        with Client(c.address) as client:
            seen = client.run(lambda path: Path(path).exists(), str(course))
        assert seen and not any(seen.values()), f"a worker sees the course folder {course}: {seen}"
        proc = autograde(course, c.address, work / "marker")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{out[-4000:]}\n{c.logs()}"
    assert f"with the Dask cluster at {c.address} (2 workers), warm kernels" in proc.stdout, out[-3000:]
    expected = scores(local.course, SAMPLE)
    got = scores(course, SAMPLE)
    differ = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert got.keys() == expected.keys() and not differ, f"(cluster, local) where they differ: {differ}"
    graded = {(p.parts[-3], p.parts[-2]) for p in course.glob("autograded/*/*/*.ipynb")}
    feedback = {(p.parts[-3], p.parts[-2]) for p in course.glob("feedback/*/*/*.html")}
    handed_in = {(p.parts[-2], p.parts[-1]) for p in course.glob("submitted/*/*")}
    assert graded == feedback == handed_in, f"expected a notebook and a page per hand-in: {handed_in - graded}"
    assert (course / "reports" / "report.html").is_file() and (course / "grades.csv").is_file()


def test_a_worker_killed_mid_run_loses_nothing(local, tmp_path_factory):
    """One of two workers killed while the class is graded: its task goes to the other worker; every
    submission graded once, with the local run's scores."""
    students = ("solved", "wrong_1", "right_1")
    course = sample_course(tmp_path_factory, students, ("01_autograd_basics", "03_autograd_pitfalls"))
    work = tmp_path_factory.mktemp("cluster-kill")
    with cluster(work / "dask", hidden(tmp_path_factory)) as c:
        code, out = grade_and_break(course, c, work / "marker", lambda: c.kill("w1"))
    assert code == 0, f"exit {code}:\n{out[-4000:]}\n{c.logs()}"
    expected = scores(local.course, students)
    expected = {k: v for k, v in expected.items() if k[1] in ("01_autograd_basics", "03_autograd_pitfalls")}
    got = scores(course, students)
    differ = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert got.keys() == expected.keys() and not differ, f"(cluster, local) where they differ: {differ}"
    assert "6 of 6 notebooks graded" in out, out[-3000:]


def test_bad_clusters_are_refused_before_grading(tmp_path_factory, tmp_path):
    """An unreachable scheduler, a worker with another torch, a worker without bubblewrap: exit 2 with the
    reason (the worker and both versions named); nothing graded."""
    course = sample_course(tmp_path_factory, ("solved",), ("01_autograd_basics",))
    marker = tmp_path / "marker"
    with cluster(tmp_path / "none", hidden(tmp_path_factory), workers=0) as c:
        address = c.address
    proc = autograde(course, address, marker)
    assert proc.returncode == 2 and f"cannot reach the Dask scheduler at {address}" in proc.stderr, proc.stderr

    import torch

    # another torch on the worker: its metadata says 0.0.1 (outside the folder the workers cannot see)
    with tempfile.TemporaryDirectory(prefix="fake-torch-") as fake:
        (Path(fake) / "torch-0.0.1.dist-info").mkdir()
        (Path(fake) / "torch-0.0.1.dist-info" / "METADATA").write_text(
            "Metadata-Version: 2.1\nName: torch\nVersion: 0.0.1\n")
        other = dict(os.environ, PYTHONPATH=fake)
        with cluster(tmp_path / "versions", hidden(tmp_path_factory), workers=1, env=other) as c:
            proc = autograde(course, c.address, marker)
    assert proc.returncode == 2 and "torch 0.0.1 on the worker" in proc.stderr, proc.stderr
    assert f"{torch.__version__.split('+')[0]}" in proc.stderr, proc.stderr

    no_bwrap = dict(os.environ, PATH=str(Path(sys.executable).parent))
    no_bwrap.pop("GRADING_ALLOW_UNSANDBOXED", None)
    with cluster(tmp_path / "sandbox", hidden(tmp_path_factory), workers=1, env=no_bwrap) as c:
        proc = autograde(course, c.address, marker)
    assert proc.returncode == 2 and "has no working sandbox" in proc.stderr and "worker tcp://" in proc.stderr, (
        proc.stderr)
    assert not (course / "autograded").exists(), "something was graded"


def test_a_scheduler_lost_mid_run_keeps_what_was_graded(local, tmp_path_factory, tmp_path):
    """The scheduler killed after the first notebook is in: exit 1 with what happened, every published
    submission complete in the gradebook; a local run then grades only the rest."""
    students = ("solved", "wrong_1")
    course = sample_course(tmp_path_factory, students, ("01_autograd_basics", "03_autograd_pitfalls"))
    with cluster(tmp_path / "dask", hidden(tmp_path_factory), workers=1) as c:
        code, out = grade_and_break(course, c, tmp_path / "marker", c.kill_scheduler)
    assert code == 1 and "lost the Dask scheduler" in out, f"exit {code}:\n{out[-3000:]}"
    done = {(p.parts[-3], p.parts[-2]) for p in course.glob("autograded/*/*/*.ipynb")}
    assert 1 <= len(done) < 4, f"expected an interrupted run, graded: {done}"
    partial = scores(course, students)
    complete = scores(local.course, students)
    assert {(s, a) for s, a, _ in partial} == done and all(partial[k] == complete[k] for k in partial), partial
    again = run_autograde(course, marker=tmp_path / "marker")
    assert again.returncode == 0 and f"grading {4 - len(done)} notebooks" in again.stdout, again.stdout[-3000:]
    assert scores(course, students) == {k: v for k, v in complete.items() if k[1] in
                                         ("01_autograd_basics", "03_autograd_pitfalls")}


def test_a_task_whose_workers_die_is_given_up_as_a_crash(tmp_path_factory, tmp_path):
    """A scheduler that allows no worker death per task (distributed.scheduler.allowed-failures = 0, as a
    submission that took down its last allowed worker), the worker killed while it grades: that submission is
    given up and shown as `crash`, exit 1; the one graded before it is kept."""
    course = sample_course(tmp_path_factory, ("solved", "wrong_1"), ("01_autograd_basics",))
    strict = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0")
    with cluster(tmp_path / "dask", hidden(tmp_path_factory), workers=1, scheduler_env=strict) as c:
        code, out = grade_and_break(course, c, tmp_path / "marker", lambda: c.kill("w1"))
    assert code == 1 and "1 given up (took down every worker)" in out, f"exit {code}:\n{out[-3000:]}"
    marks = sorted(line.split()[1] for line in out.splitlines() if line.startswith(("solved ", "wrong_1 ")))
    assert marks in (["0/13", "crash"], ["13/13", "crash"]), f"expected one score and one crash, got {marks}:\n{out}"
    assert len(list(course.glob("autograded/*/*/*.ipynb"))) == 1, "expected the first notebook kept, the other not"
