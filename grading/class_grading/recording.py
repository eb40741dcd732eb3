"""What a grading run knows of each submission, and how a worker's result enters the course's gradebook: shared
by the local run (autograde.py) and the cluster run (cluster.py), whose main process is in both cases the only
writer of the gradebook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grading.class_grading.worker import Result


@dataclass
class Outcome:
    """What happened to one student's assignment in this run."""

    status: str  # graded | skipped (graded before) | invalid | error | crash (killed its workers) | not run
    detail: str = ""
    flags: tuple = ()


def record(gradebook, result: Result) -> None:
    """Write what a worker's nbgrader wrote to its private gradebook into the course's, in one transaction."""
    session = gradebook.db
    session.commit = session.flush  # the Gradebook API commits after each call; here only the last commit counts
    try:
        gradebook.update_or_create_student(result.student)
        sub = gradebook.update_or_create_submission(result.assignment, result.student)
        sub.timestamp = result.timestamp
        for nb in sub.notebooks:
            data = result.notebooks.get(nb.name)
            if data is None:
                continue
            nb.flagged = data["flagged"]
            nb.late_submission_penalty = data["late_submission_penalty"]
            for grade in nb.grades:
                grade.auto_score, grade.needs_manual_grade = data["grades"][grade.name]
            for comment in nb.comments:
                comment.auto_comment = data["comments"][comment.name]
        del session.commit
        session.commit()
    except BaseException:
        session.__dict__.pop("commit", None)
        session.rollback()
        raise


def accept(gradebook, result: Result, publish: Callable[[], None], cpu: list) -> Outcome:
    """A worker's result into the course: its grades into the gradebook (one transaction), then its notebook and
    feedback published, its CPU times noted; what the run reports for it."""
    if result.status != "graded":
        return Outcome("error", result.detail)
    record(gradebook, result)
    publish()
    cpu.append((result.grader_cpu, result.kernel_cpu))
    return Outcome("graded", flags=tuple(f.get("kind", "tamper") for f in result.flags))
