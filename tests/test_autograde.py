"""End to end: the answer corpus of every notebook, handed in to a scratch course and graded by the class grader
(tests/classes.py's corpus class, graded once for the session); a sample of it graded by plain nbgrader too.
Students of a notebook: see tests/corpus.py."""

from __future__ import annotations

import pytest
from classes import PLAIN_SAMPLE, corpus_class, plain_sample
from conftest import solution_nb, student_nb
from corpus import MISCONCEPTIONS, RIGHT_ANSWERS, Graded, calibration_rows, calibration_table, corpus, read_graded
from course_contract import NOTEBOOKS

from grading.class_grading.classroom import gradebook_scores
from grading.course.layout import exercises

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Graded]:
    plain_sample(tmp_path_factory)  # first: a worker grading the corpus class meanwhile grades in parallel
    run = corpus_class(tmp_path_factory).succeeded()
    results = {name: read_graded(run.course, name) for name in NOTEBOOKS}
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
def test_right_answers_are_not_flagged(name, graded):
    """Right answers, those with honest habits included (tests/right_answers/*__debug_prints.py and the like:
    prints to stdout and stderr, warnings, `import sys`, `time`, `os.path`, type(x), helpers of their own), are
    not flagged for review."""
    flagged = [s for s, f in graded[name].flagged.items() if f and (s == "solved" or s.startswith("right_"))]
    assert not flagged, f"{name}: right answers flagged for review: {flagged}"


def _documented_side_effect_exercises(name: str) -> set[str]:
    """The exercises the notebook's grading rules name as those whose checks a flag costs."""
    import re

    rules = next(c.source for c in student_nb(name).cells
                 if c.cell_type == "markdown" and SIDE_EFFECT_SENTENCE in c.source)
    sentence = rules.split(SIDE_EFFECT_SENTENCE, 1)[1].split("\n", 1)[0]
    return set(re.findall(r"`(\w+)`", sentence))


SIDE_EFFECT_SENTENCE = "In this notebook those are the checks of"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_rules_name_the_checks_a_flag_costs(name, graded):
    """The notebook's rules name exactly the exercises with checks that read what the kernel reports (measured
    on the solved notebook): what a flag would cost is known before hand-in."""
    exercise_of = {gid: ex.name for ex in exercises(solution_nb(name)) for gid in ex.test_ids}
    scores = graded[name].scores["solved"]
    costed = {g for g in graded[name].kernel_word["solved"] if scores[g][1] > 0}  # self-checks earn nothing
    measured = {exercise_of[g] for g in costed}
    documented = _documented_side_effect_exercises(name)
    assert measured == documented, (
        f"{name}: the rules name {sorted(documented)} as costed by a flag; the grader reads the kernel's reports in "
        f"the checks of {sorted(measured)} (checks {sorted(costed)})")
    checks, points = _rules_side_effect_checks(name, set(exercise_of))
    assert checks == costed, (
        f"{name}: GRADING.md's 'What a flag costs' table names the checks {sorted(checks)}, the grader "
        f"{sorted(costed)}")
    measured_points = (sum(scores[g][1] for g in checks), sum(m for _, m in scores.values()))
    assert points == measured_points, (
        f"{name}: GRADING.md's table says {points[0]:g} of {points[1]:g} points, the gradebook "
        f"{measured_points[0]:g} of {measured_points[1]:g}")


def _rules_side_effect_checks(name: str, all_checks: set[str]) -> tuple[set[str], tuple[float, float]]:
    """The checks the rules page's table of what a flag costs names for notebook `name`, and its '(k of n)'."""
    import re

    from grading.course.paths import RULES

    row = next(line for line in RULES.read_text(encoding="utf-8").splitlines()
               if line.strip().startswith(f"| {name[:2]} |"))
    cell = row.split("|")[2]
    k, n = re.search(r"\((\d+) of (\d+)\)", cell).groups()
    return set(re.findall(r"`(\w+)`", cell)) & all_checks, (float(k), float(n))


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


def test_class_grader_scores_like_nbgrader(tmp_path_factory):
    """`python -m grading autograde` (parallel, warm kernels) gives every check of the sample students
    (PLAIN_SAMPLE, every notebook) exactly the score, review flag and manual-grading mark that plain
    `nbgrader autograde` gives them."""
    expected = gradebook_scores(plain_sample(tmp_path_factory))
    got = {k: v for k, v in gradebook_scores(corpus_class(tmp_path_factory).course).items() if k[0] in PLAIN_SAMPLE}
    assert {k[:2] for k in expected} == {(s, n) for s in PLAIN_SAMPLE for n in NOTEBOOKS}, "plain nbgrader missed some"
    differ = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got) if expected.get(k) != got.get(k)}
    assert not differ, f"(nbgrader, ours) differ for {len(differ)} checks: {dict(list(differ.items())[:10])}"
