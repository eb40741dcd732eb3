"""Example classes made from the course's own material, in a scratch nbgrader course: the demo class of
`python -m grading demo`, the benchmark's class, and the corpus students of the tests.

A student's notebook is the released student version with answers pasted into its answer cells: the
reference solutions (solutions/), a wrong answer from tests/misconceptions/, or a right answer written
differently from tests/right_answers/. An untouched student version is a student who did nothing.
"""

from __future__ import annotations

import contextlib
import copy
import re
import shutil
import sqlite3
from pathlib import Path

import nbformat

from grading.course.layout import exercises, nbgrader_meta
from grading.course.paths import COURSE, REPO, SOLUTION_DIR, STUDENT_DIR, notebook_names, run_nbgrader

MISCONCEPTIONS = REPO / "tests" / "misconceptions"
RIGHT_ANSWERS = REPO / "tests" / "right_answers"


def corpus(folder: Path, name: str) -> dict[str, list[Path]]:
    """Answers of a notebook, by exercise: <folder>/<nb>/<exercise>__<slug>.py."""
    found: dict[str, list[Path]] = {}
    for path in sorted((folder / name).glob("*__*.py")):
        # the longest prefix before "__": exercise names may end in "_" (sgd_update___rebinds_name)
        found.setdefault(re.match(r"^(.+?)__(?!_)", path.stem).group(1), []).append(path)
    return found


def student_version(name: str) -> nbformat.NotebookNode:
    return nbformat.read(STUDENT_DIR / f"{name}.ipynb", as_version=4)


def with_answers(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def solved(name: str) -> nbformat.NotebookNode:
    """The student version with every answer cell holding the reference solution: what a perfect student submits."""
    sol = nbformat.read(SOLUTION_DIR / f"{name}.ipynb", as_version=4)
    return with_answers(student_version(name), {ex.name: sol.cells[ex.answer_index].source for ex in exercises(sol)})


def submissions(name: str) -> dict[str, nbformat.NotebookNode]:
    """The corpus students of one notebook: solved, stub, wrong_<k> (the k-th wrong answer in every exercise
    that has one, right answers elsewhere) and right_<k> (the k-th differently written right answer)."""
    subs = {"solved": solved(name), "stub": student_version(name)}
    for prefix, folder in (("wrong", MISCONCEPTIONS), ("right", RIGHT_ANSWERS)):
        answers = corpus(folder, name)
        for k in range(max((len(v) for v in answers.values()), default=0)):
            chosen = {ex: paths[k].read_text(encoding="utf-8") for ex, paths in answers.items() if k < len(paths)}
            subs[f"{prefix}_{k + 1}"] = with_answers(subs["solved"], chosen)
    return subs


def mixed_class(size: int, names: list[str] | None = None) -> dict[str, dict[str, nbformat.NotebookNode]]:
    """`size` students, each handing in every notebook: in turn a solved notebook, an untouched stub, one with
    wrong answers and one with differently written right answers (cycling through the corpus)."""
    names = names or notebook_names()
    pools = {name: submissions(name) for name in names}
    roster: dict[str, dict[str, nbformat.NotebookNode]] = {}
    for i in range(size):
        kind = ("solved", "stub", "wrong", "right")[i % 4]
        student = f"student{i + 1:03d}"
        roster[student] = {}
        for name in names:
            pool = pools[name]
            if kind in ("solved", "stub"):
                roster[student][name] = pool[kind]
            else:
                variants = sorted(k for k in pool if k.startswith(kind + "_"))
                roster[student][name] = pool[variants[(i // 4) % len(variants)]] if variants else pool["solved"]
    return roster


def scratch_course(root: Path, names: list[str] | None = None) -> Path:
    """A new nbgrader course at `root` with the course's config and the given assignments released."""
    names = names or notebook_names()
    root.mkdir(parents=True)
    shutil.copy(COURSE / "nbgrader_config.py", root)
    for name in names:
        shutil.copytree(COURSE / "source" / name, root / "source" / name)
    # one nbgrader process releases every assignment of source/ (its assignment id is a glob)
    proc = run_nbgrader(root, "generate_assignment", "*")
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{proc.stdout}\n{proc.stderr}")
    return root


def hand_in(root: Path, roster: dict[str, dict[str, nbformat.NotebookNode]]) -> None:
    """Write each student's notebooks to submitted/<student>/<assignment>/, as `nbgrader collect` would."""
    for student, notebooks in roster.items():
        for name, nb in notebooks.items():
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{name}.ipynb")


# every grade with its student, assignment and check (base_cell.name is the grade_id); callers add the columns
GRADE_JOINS = """
FROM grade
JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
JOIN student ON submitted_assignment.student_id = student.id
JOIN assignment ON submitted_assignment.assignment_id = assignment.id
JOIN base_cell ON grade.cell_id = base_cell.id
"""
_GRADES = ("SELECT student.id, assignment.name, base_cell.name, grade.auto_score, grade.needs_manual_grade, "
           "submitted_notebook.flagged" + GRADE_JOINS)


def gradebook_scores(course: Path) -> dict[tuple[str, str, str], tuple]:
    """(student, assignment, check) -> (auto score, needs manual grade, notebook flagged), read from the
    course's gradebook: what two gradings of the same class must agree on."""
    with contextlib.closing(sqlite3.connect(course / "gradebook.db")) as con:
        return {row[:3]: row[3:] for row in con.execute(_GRADES)}
