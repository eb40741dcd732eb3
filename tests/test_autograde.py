"""End to end with nbgrader itself, in a scratch copy of grading/ per notebook.

Students: "solved" submits solutions/, "stub" submits the untouched notebooks/, and "wrong_<k>"
submits solutions/ with the k-th wrong answer of tests/misconceptions/ in every exercise that has
one (the other exercises keep the right answer). Everything is autograded by `nbgrader autograde`
and the scores are read back from the gradebook.
"""

from __future__ import annotations

import copy
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import misconceptions, solution_nb, student_nb
from course_contract import NOTEBOOKS
from nbgrader.api import Gradebook

from grading.course import COURSE, run_nbgrader
from grading.layout import exercises, nbgrader_meta

Scores = dict[str, dict[str, tuple[float, float]]]  # student -> grade_id -> (score, max)


def submissions(name: str) -> dict[str, nbformat.NotebookNode]:
    subs = {"solved": solution_nb(name), "stub": student_nb(name)}
    corpus = misconceptions(name)
    for k in range(max((len(v) for v in corpus.values()), default=0)):
        nb = copy.deepcopy(subs["solved"])
        cells = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}
        for exercise, paths in corpus.items():
            if k < len(paths):
                cells[exercise].source = paths[k].read_text(encoding="utf-8")
        subs[f"wrong_{k + 1}"] = nb
    return subs


def nbgrader(root: Path, *args: str) -> None:
    proc = run_nbgrader(root, *args)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"


def grade(name: str, root: Path) -> Scores:
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
    return scores


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Scores]:
    base = tmp_path_factory.mktemp("courses")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda n: grade(n, base / n), NOTEBOOKS)
        return dict(zip(NOTEBOOKS, results))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solutions_earn_full_marks(name, graded):
    """The solved notebook, autograded, scores every test cell in full."""
    lost = {gid: s for gid, s in graded[name]["solved"].items() if s[0] != s[1]}
    assert not lost, f"{name}: the solution lost points in {lost}"
    assert sum(m for _, m in graded[name]["solved"].values()) > 0


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stubs_earn_nothing(name, graded):
    """The untouched student notebook scores 0."""
    got = {gid: s for gid, s in graded[name]["stub"].items() if s[0] != 0}
    assert not got, f"{name}: the unanswered notebook earned points in {got}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_wrong_answers_lose_points_on_their_exercise(name, graded):
    """Every wrong answer of the corpus loses points on its own exercise; right answers beside it keep theirs."""
    corpus = misconceptions(name)
    problems = []
    for ex in exercises(solution_nb(name)):
        for k in range(1, len(graded[name]) - 1):
            scores = [graded[name][f"wrong_{k}"][gid] for gid in ex.test_ids]
            earned, available = sum(s for s, _ in scores), sum(m for _, m in scores)
            paths = corpus.get(ex.name, [])
            if k <= len(paths) and earned >= available:
                problems.append(f"{paths[k - 1].name}: not caught, {earned}/{available} points")
            if k > len(paths) and earned < available:
                problems.append(f"{ex.name}: the right answer lost points ({earned}/{available}) in wrong_{k}")
    assert not problems, "\n".join(problems)
