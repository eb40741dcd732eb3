"""The answer corpus and what a grader gave it: read by tests/test_autograde.py and tools/calibration_table.py.

Students of a notebook: "solved" (the student version with every answer from solutions/), "stub" (the
untouched student version), "wrong_<k>" (solved, with the k-th wrong answer of tests/misconceptions/ in every
exercise that has one) and "right_<k>" (solved, with the k-th right answer of tests/right_answers/, each
written differently from the reference solution).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from conftest import solution_nb
from nbgrader.api import Gradebook

from grading.class_grading.classroom import MISCONCEPTIONS, RIGHT_ANSWERS, corpus, solved, submissions, with_answers
from grading.course.layout import exercises, nbgrader_meta

__all__ = ["MISCONCEPTIONS", "RIGHT_ANSWERS", "corpus", "solved", "submissions", "with_answers"]

Scores = dict[str, dict[str, tuple[float, float]]]  # student -> grade_id -> (score, max)


@dataclass
class Graded:
    """One notebook of a graded corpus class, as the corpus tests read it."""

    scores: Scores
    messages: dict[str, dict[str, str]]  # student -> grade_id -> first line of the failure message
    solved_errors: list[str]  # cells of the solved student's autograded notebook that failed unexpectedly
    flagged: dict[str, bool]  # student -> flagged for review
    kernel_word: dict[str, set[str]]  # student -> the checks that read what the kernel reported (side effects)


def _failures(nb: nbformat.NotebookNode) -> tuple[dict[str, str], list[str]]:
    messages, unexpected = {}, []
    for i, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if cell.cell_type != "code" or not errors:
            continue
        gid = nbgrader_meta(cell).get("grade_id")
        if gid:
            messages[gid] = f"{errors[0].ename}: {str(errors[0].evalue).splitlines()[0] if errors[0].evalue else ''}"
        if "raises-exception" not in cell.metadata.get("tags", []):
            unexpected.append(f"cell {i}")
    return messages, unexpected


def read_graded(course: Path, name: str) -> Graded:
    """What the grader gave every corpus student of notebook `name` in a graded course."""
    scores: Scores = {}
    messages: dict[str, dict[str, str]] = {}
    solved_errors: list[str] = []
    flagged: dict[str, bool] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in submissions(name):
            sub = gb.find_submission_notebook(name, name, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in sub.grades}
            flagged[student] = sub.flagged
    kernel_word: dict[str, set[str]] = {}
    for student in scores:
        autograded = nbformat.read(course / "autograded" / student / name / f"{name}.ipynb", as_version=4)
        messages[student], unexpected = _failures(autograded)
        if student == "solved":
            solved_errors = unexpected
        kernel_word[student] = {nbgrader_meta(c)["grade_id"] for c in autograded.cells
                                if c.metadata.get("grading_kernel_word")}
    return Graded(scores, messages, solved_errors, flagged, kernel_word)


def calibration_rows(name: str, graded: Graded) -> list[tuple[str, str, str, str]]:
    """(exercise, answer, verdict, which checks caught it and how) for every corpus answer of a notebook."""
    rows = []
    for ex in exercises(solution_nb(name)):
        for prefix, folder in (("wrong", MISCONCEPTIONS), ("right", RIGHT_ANSWERS)):
            for k, path in enumerate(corpus(folder, name).get(ex.name, []), start=1):
                student = f"{prefix}_{k}"
                got = graded.scores[student]
                lost = [g for g in ex.test_ids if got[g][0] < got[g][1]]
                earned = sum(got[g][0] for g in ex.test_ids)
                if prefix == "wrong":
                    verdict = "caught" if earned < ex.points else "MISSED"
                    how = "; ".join(f"{g}: {graded.messages[student].get(g, '?')[:90]}" for g in lost)
                else:
                    verdict = "full marks" if earned >= ex.points else "REJECTED"
                    how = "; ".join(f"{g}: {graded.messages[student].get(g, '?')[:90]}" for g in lost)
                rows.append((ex.name, f"{prefix}: {path.stem.split('__', 1)[1].lstrip('_')}", verdict, how))
    return rows


def calibration_table(results: dict[str, Graded]) -> str:
    lines = []
    for name, graded in results.items():
        rows = calibration_rows(name, graded)
        lines.append(f"\n{name}")
        by_ex: dict[str, list] = {}
        for row in rows:
            by_ex.setdefault(row[0], []).append(row)
        for ex, ex_rows in by_ex.items():
            wrong = [r for r in ex_rows if r[1].startswith("wrong")]
            right = [r for r in ex_rows if r[1].startswith("right")]
            lines.append(f"  {ex}: {sum(r[2] == 'caught' for r in wrong)}/{len(wrong)} wrong answers caught, "
                         f"{sum(r[2] == 'full marks' for r in right)}/{len(right)} right answers accepted")
            for _, answer, verdict, how in ex_rows:
                lines.append(f"    {verdict:10s} {answer:40s} {how}")
    return "\n".join(lines)
