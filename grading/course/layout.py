"""How a course notebook is laid out: answer cells, each followed by its test cells."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import nbformat

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HAND_IN_FACTS = "hand_in"  # metadata["course"][...] of a student notebook: what the hand-in check compares with
HAND_IN_TAG = "hand-in-check"  # the tag of the cell that runs the hand-in check (its own run skips it)


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def source_digest(source: str) -> str:
    """A short fingerprint of a cell's source (the hand-in check recognises unchanged example cells by it)."""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def restored_by_grader(cell: nbformat.NotebookNode) -> bool:
    """A grader cell: nbgrader puts its source back from the gradebook before running it."""
    m = nbgrader_meta(cell)
    return bool(m.get("locked")) or (bool(m.get("grade")) and not m.get("solution"))


def is_answer(cell: nbformat.NotebookNode) -> bool:
    m = nbgrader_meta(cell)
    return bool(m.get("solution")) and not m.get("grade")


def is_test(cell: nbformat.NotebookNode) -> bool:
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and not m.get("solution")


@dataclass
class Exercise:
    """One graded exercise: its answer cell and the test cells that follow it."""

    name: str
    answer_index: int
    tests: list[nbformat.NotebookNode] = field(default_factory=list)

    @property
    def visible_tests(self) -> list[nbformat.NotebookNode]:
        return [c for c in self.tests if HIDDEN_BEGIN not in c.source]

    @property
    def hidden_tests(self) -> list[nbformat.NotebookNode]:
        return [c for c in self.tests if HIDDEN_BEGIN in c.source]

    @property
    def points(self) -> float:
        return sum(nbgrader_meta(c).get("points", 0) for c in self.tests)

    @property
    def test_ids(self) -> list[str]:
        return [nbgrader_meta(c)["grade_id"] for c in self.tests]


def exercises(nb: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of a notebook, in order; test cells before the first answer are ignored."""
    found: list[Exercise] = []
    for i, cell in enumerate(nb.cells):
        if is_answer(cell):
            found.append(Exercise(nbgrader_meta(cell)["grade_id"], i))
        elif is_test(cell) and found:
            found[-1].tests.append(cell)
    return found
