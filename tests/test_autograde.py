"""End to end with nbgrader itself, in a scratch copy of grading/ per notebook.

Students: "solved" submits notebooks/ with every answer cell filled in from solutions/ (what a
perfect student hands in), "stub" submits the untouched notebooks/, and "wrong_<k>" submits the
solved notebook with the k-th wrong answer of tests/misconceptions/ in every exercise that has
one (the other exercises keep the right answer). Everything is autograded by `nbgrader autograde`
and the scores are read back from the gradebook.
"""

from __future__ import annotations

import copy
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import misconceptions, solution_nb, student_nb
from course_contract import NOTEBOOKS
from nbgrader.api import Gradebook

from grading.course import COURSE, run_nbgrader
from grading.layout import exercises, nbgrader_meta

Scores = dict[str, dict[str, tuple[float, float]]]  # student -> grade_id -> (score, max)


@dataclass
class Graded:
    scores: Scores
    solved_errors: list[str]  # cells of the solved student's autograded notebook that failed unexpectedly


def _with_answers(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def submissions(name: str) -> dict[str, nbformat.NotebookNode]:
    solved = solution_nb(name)
    right = {ex.name: solved.cells[ex.answer_index].source for ex in exercises(solved)}
    subs = {"solved": _with_answers(student_nb(name), right), "stub": student_nb(name)}
    corpus = misconceptions(name)
    for k in range(max((len(v) for v in corpus.values()), default=0)):
        wrong = {ex: paths[k].read_text(encoding="utf-8") for ex, paths in corpus.items() if k < len(paths)}
        subs[f"wrong_{k + 1}"] = _with_answers(subs["solved"], wrong)
    return subs


def nbgrader(root: Path, *args: str) -> None:
    proc = run_nbgrader(root, *args)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"


def grade(name: str, root: Path) -> Graded:
    root.mkdir(parents=True)
    shutil.copy(COURSE / "nbgrader_config.py", root)
    shutil.copytree(COURSE / "source" / name, root / "source" / name)
    nbgrader(root, "generate_assignment", name)
    subs = submissions(name)
    for student, nb in subs.items():
        folder = root / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
    nbgrader(root, "autograde", name, "--create")
    scores: Scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in subs:
            sub = gb.find_submission_notebook(name, name, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in sub.grades}
    graded_nb = nbformat.read(root / "autograded" / "solved" / name / f"{name}.ipynb", as_version=4)
    errors = [f"cell {i}" for i, cell in enumerate(graded_nb.cells)
              if cell.cell_type == "code" and "raises-exception" not in cell.metadata.get("tags", [])
              and any(o.output_type == "error" for o in cell.outputs)]
    return Graded(scores, errors)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Graded]:
    base = tmp_path_factory.mktemp("courses")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda n: grade(n, base / n), NOTEBOOKS)
        return dict(zip(NOTEBOOKS, results))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solutions_earn_full_marks(name, graded):
    """The solved notebook, autograded, scores every test cell in full."""
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
def test_wrong_answers_lose_points_on_their_exercise(name, graded):
    """Every wrong answer of the corpus loses points on its own exercise; right answers beside it keep theirs."""
    corpus = misconceptions(name)
    problems = []
    for ex in exercises(solution_nb(name)):
        for k in range(1, sum(s.startswith("wrong_") for s in graded[name].scores) + 1):
            scores = [graded[name].scores[f"wrong_{k}"][gid] for gid in ex.test_ids]
            earned, available = sum(s for s, _ in scores), sum(m for _, m in scores)
            paths = corpus.get(ex.name, [])
            if k <= len(paths) and earned >= available:
                problems.append(f"{paths[k - 1].name}: not caught, {earned}/{available} points")
            if k > len(paths) and earned < available:
                problems.append(f"{ex.name}: the right answer lost points ({earned}/{available}) in wrong_{k}")
    assert not problems, "\n".join(problems)
