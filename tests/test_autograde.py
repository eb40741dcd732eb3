"""End to end with nbgrader itself, in a scratch copy of grading/ per notebook (students: see tests/corpus.py)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import REPO, solution_nb
from corpus import MISCONCEPTIONS, RIGHT_ANSWERS, Graded, calibration_rows, calibration_table, corpus, grade
from course_contract import NOTEBOOKS

from grading.class_grading.classroom import gradebook_scores
from grading.course.layout import exercises


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Graded]:
    base = tmp_path_factory.mktemp("courses")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(NOTEBOOKS, pool.map(lambda n: grade(n, base / n), NOTEBOOKS)))
    print(calibration_table(results))  # shown with -s or -rP; tools/calibration_table.py prints it too
    return results


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solutions_earn_full_marks(name, graded):
    """The solved notebook, autograded, scores every test cell in full and is not flagged."""
    lost = {gid: s for gid, s in graded[name].scores["solved"].items() if s[0] != s[1]}
    assert not lost, f"{name}: the solution lost points in {lost}"
    assert sum(m for _, m in graded[name].scores["solved"].values()) > 0


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_student_version_runs_once_answered(name, graded):
    """The student notebook with right answers runs top to bottom: no cell depends on a hidden test."""
    errors = graded[name].solved_errors
    assert not errors, f"{name}: {', '.join(errors)} failed in the autograded solved student's notebook"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stubs_earn_nothing(name, graded):
    """The untouched student notebook scores 0."""
    got = {gid: s for gid, s in graded[name].scores["stub"].items() if s[0] != 0}
    assert not got, f"{name}: the unanswered notebook earned points in {got}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_wrong_answers_lose_points_and_right_answers_keep_them(name, graded):
    """Every wrong answer loses points on its own exercise; every right answer earns them all."""
    problems = [f"{answer}: {verdict} ({how or 'no check failed'})"
                for _, answer, verdict, how in calibration_rows(name, graded[name])
                if verdict in ("MISSED", "REJECTED")]
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_other_exercises_keep_their_points(name, graded):
    """An exercise holding the right answer keeps full marks in every corpus student's notebook."""
    problems = []
    answered = {p: corpus(f, name) for p, f in (("wrong", MISCONCEPTIONS), ("right", RIGHT_ANSWERS))}
    for student, scores in graded[name].scores.items():
        prefix, _, k = student.partition("_")
        if prefix not in answered:
            continue
        for ex in exercises(solution_nb(name)):
            if len(answered[prefix].get(ex.name, [])) >= int(k):
                continue  # this exercise holds a corpus answer in this notebook
            earned = sum(scores[g][0] for g in ex.test_ids)
            if earned < ex.points:
                problems.append(f"{student}: {ex.name} holds the right answer but earned {earned}/{ex.points}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_wrong_answers_get_an_explained_failure(name, graded):
    """Every caught wrong answer fails at least one check with the course's own message (an AssertionError
    naming what was expected, what came back and the likely mistake), not only a raw error from its code."""
    problems = []
    for ex in exercises(solution_nb(name)):
        for k, path in enumerate(corpus(MISCONCEPTIONS, name).get(ex.name, []), start=1):
            messages = [graded[name].messages[f"wrong_{k}"].get(g, "") for g in ex.test_ids]
            if not any(m.startswith("AssertionError: ") and len(m) > len("AssertionError: ") for m in messages):
                problems.append(f"{path.name}: only {[m for m in messages if m] or 'no message'}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_class_grader_scores_like_nbgrader(name, graded):
    """`python -m grading autograde` (parallel, warm kernels) gives every check of every corpus student
    exactly the score, review flag and manual-grading mark that `nbgrader autograde` gave."""
    course = graded[name].ungraded
    proc = subprocess.run([sys.executable, "-m", "grading", "autograde", "--course", str(course), "--jobs", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=1200, check=False)
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    expected, got = gradebook_scores(graded[name].course), gradebook_scores(course)
    assert expected, "nbgrader wrote no grades: nothing to compare"
    differ = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got) if expected.get(k) != got.get(k)}
    assert not differ, f"{name}: (nbgrader, ours) differ for {len(differ)} checks: {dict(list(differ.items())[:10])}"
