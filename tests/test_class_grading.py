"""`python -m grading autograde`, run as an instructor runs it (resuming: tests/test_resume.py; the demo:
tests/test_demo.py).

The gradings read here are the session's shared classes (tests/classes.py): the corpus class (every notebook,
the answer corpus) and the tamper class (notebook 01: attacks, an endless loop, a file that is not a notebook).
Identical scores to plain nbgrader: tests/test_autograde.py.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from classes import ClassRun, corpus_class, digest, leftovers, run_autograde, tamper_class
from lab_browser import missing_browser

from grading.course.layout import HIDDEN_BEGIN
from grading.judging.feedback import WRAP_OUTPUTS_CSS

NB = "01_autograd_basics"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> ClassRun:
    return corpus_class(tmp_path_factory).succeeded()


@pytest.fixture(scope="module")
def tamper(tmp_path_factory) -> ClassRun:
    return tamper_class(tmp_path_factory).succeeded()


def graded_count(run: ClassRun) -> int:
    return sum(1 for _ in (run.course / "autograded").glob("*/*"))


def test_prints_the_class_summary(corpus, tamper):
    """One row per student, one column per assignment: scores, `-` where nothing was handed in, the timeout,
    the invalid file with what to do about it, one progress line per graded notebook."""
    assert corpus.row("solved").split()[1:] == ["13/13", "22/22", "13/13", "17/17"], corpus.stdout
    assert corpus.row("stub").split()[1:] == ["0/13", "0/22", "0/13", "0/17"], corpus.stdout
    assert corpus.row("wrong_9").split()[1:4] == ["-", "-", "-"], "wrong_9 handed in 04 only:\n" + corpus.stdout
    assert "13/13" in tamper.row("solved") and "0/13" in tamper.row("stub"), tamper.stdout
    assert "timeout" in tamper.row("infinite_loop"), f"the endless loop is not reported as a timeout:\n{tamper.stdout}"
    assert "invalid file" in tamper.row("broken"), tamper.stdout
    assert "broken/01_autograd_basics: not a notebook" in tamper.stdout, "the invalid file's status is not explained"
    for run in (corpus, tamper):
        n = graded_count(run)
        assert f"[{n}/{n}]" in run.stdout, f"expected one plain progress line per graded notebook:\n{run.stdout}"


def test_writes_grades_csv_autograded_notebooks_and_feedback(corpus, tamper):
    """grades.csv in nbgrader export's format; an autograded notebook and a feedback page for every hand-in;
    no hidden test code in the feedback, long messages wrapped; nothing for the invalid file; the staging folder gone."""
    with open(corpus.course / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert rows and {"assignment", "student_id", "raw_score", "score", "max_score"} <= set(rows[0])
    scores = {(r["student_id"], r["assignment"]): float(r["score"]) for r in rows}
    assert scores["solved", "02_grad_higher_order"] == 22 and scores["stub", NB] == 0, scores
    handed_in = {(p.parent.name, p.name) for p in (corpus.ungraded / "submitted").glob("*/*")}
    assert {k for k, v in scores.items() if k in handed_in} == handed_in
    for student, name in handed_in:
        assert (corpus.course / "autograded" / student / name / f"{name}.ipynb").is_file(), (student, name)
        page = (corpus.course / "feedback" / student / name / f"{name}.html").read_text()
        assert HIDDEN_BEGIN not in page, f"{student}'s feedback on {name} shows hidden test code"
        head = page.split("</head>")[0]
        assert WRAP_OUTPUTS_CSS in head, f"{student}'s feedback on {name}: long failure messages do not wrap"
    assert not (tamper.course / "autograded" / "broken").exists()
    for run in (corpus, tamper):
        assert not (run.course / ".autograde-staging").exists()


@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
def test_feedback_pages_wrap_long_messages_in_the_browser(corpus, browser):
    """In Chromium, a feedback page's failure messages wrap at the page's width instead of running off it."""
    page = browser.new_page(viewport={"width": 900, "height": 700})
    path = corpus.course / "feedback" / "wrong_1" / NB / f"{NB}.html"
    page.goto(path.as_uri())
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.output_area pre')]
        .filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => pre.textContent.slice(0, 120))""")
    page.close()
    assert not overflowing, f"expected every output of {path.name} to wrap, these run off the page: {overflowing}"


def test_leaves_submissions_and_processes_alone(corpus, tamper):
    """Submitted files are byte-identical afterwards, and no worker, sandbox or kernel is left running."""
    for run in (corpus, tamper):
        assert digest(run.course / "submitted") == run.submitted_before
        assert not leftovers(run.marker), leftovers(run.marker)


@pytest.mark.parametrize(("args", "message"), [
    (["no_such_assignment"], "unknown assignment no_such_assignment"),
    (["--student", "nobody"], "no submissions from student nobody"),
    (["--jobs", "0"], "--jobs must be at least 1"),
])
def test_usage_errors_exit_2(tamper, tmp_path, args, message):
    """A clear message and exit 2, before anything is graded."""
    proc = run_autograde(tamper.ungraded, *args, marker=tmp_path / "marker")
    assert proc.returncode == 2 and message in proc.stderr, (proc.returncode, proc.stderr)
    assert not (tamper.ungraded / "autograded").exists()


def test_usage_errors_about_the_course(tamper, tmp_path):
    """Not a course, no gradebook, nothing submitted: exit 2 with what to do."""
    marker = tmp_path / "marker"
    not_course = tmp_path / "empty"
    not_course.mkdir()
    proc = run_autograde(not_course, marker=marker)
    assert proc.returncode == 2 and "no nbgrader_config.py" in proc.stderr, proc.stderr
    no_gradebook = tmp_path / "no_gradebook"
    shutil.copytree(tamper.ungraded, no_gradebook)
    (no_gradebook / "gradebook.db").unlink()
    proc = run_autograde(no_gradebook, marker=marker)
    assert proc.returncode == 2 and "generate_assignment" in proc.stderr, proc.stderr
    nothing = tmp_path / "nothing_submitted"
    shutil.copytree(tamper.ungraded, nothing, ignore=shutil.ignore_patterns("submitted"))
    proc = run_autograde(nothing, marker=marker)
    assert proc.returncode == 2 and "nothing to grade" in proc.stderr, proc.stderr
