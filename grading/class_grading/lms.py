"""The gradebook in the import formats of two learning management systems, written by `python -m grading report`
(and so after every `python -m grading autograde`) beside the report:

  canvas.csv   Canvas's Gradebook import (Grades > Import): the columns of Canvas's own Gradebook export,
               `Student, ID, SIS User ID, SIS Login ID, Section`, one column per assignment, and a second row
               `Points Possible`. ID (Canvas's own number of the student) is left blank: Canvas matches a row by
               SIS User ID or SIS Login ID, here the student's nbgrader id (their login on the hub). A column
               whose header is a new name makes a new assignment; rename it `Name (12345)`, Canvas's id of an
               existing one, to fill that one instead.
  moodle.csv   Moodle's "Import grades from CSV" (Grades > Import > CSV file): a header row, `Username` and
               `ID number` to map each row to a user by (chosen on the import page), then one column per
               assignment, named as Moodle names grade items in its own export (`Assignment: NAME (Real)`).

Each grade is the assignment's score after nbgrader's late penalty (grading/judging/late.py), rounded to two
decimals; a student with no submission of an assignment gets an empty cell (neither system overwrites with it).
"""

from __future__ import annotations

import csv
from pathlib import Path

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["Username", "ID number", "First name", "Last name", "Email address"]


def grades(course: Path, assignments: list[str]) -> tuple[list[dict], dict[str, float]]:
    """Per student (id, names, email, {assignment: final score}), and each assignment's points possible."""
    from nbgrader.api import Gradebook, MissingEntry

    rows, possible = [], {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for a in assignments:
            try:
                possible[a] = gb.find_assignment(a).max_score
            except MissingEntry:  # an assignment the gradebook does not know yet: no column
                continue
        assignments = list(possible)
        for student in sorted(gb.students, key=lambda s: s.id):
            scores = {}
            for a in assignments:
                try:
                    sub = gb.find_submission(a, student.id)
                except MissingEntry:
                    continue
                scores[a] = round(max(0.0, sub.score - (sub.late_submission_penalty or 0.0)), 2)
            rows.append({"id": student.id, "first": student.first_name or "", "last": student.last_name or "",
                         "email": student.email or "", "scores": scores})
    return rows, possible


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write(course: Path, out: Path, assignments: list[str]) -> list[Path]:
    """out/canvas.csv and out/moodle.csv."""
    rows, possible = grades(course, assignments)
    assignments = list(possible)
    canvas, moodle = out / "canvas.csv", out / "moodle.csv"
    with canvas.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_COLUMNS + assignments)
        w.writerow(["Points Possible", "", "", "", ""] + [_cell(possible[a]) for a in assignments])
        for r in rows:
            name = ", ".join(p for p in (r["last"], r["first"]) if p) or r["id"]
            w.writerow([name, "", r["id"], r["id"], ""] + [_cell(r["scores"].get(a)) for a in assignments])
    with moodle.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(MOODLE_COLUMNS + [f"Assignment: {a} (Real)" for a in assignments])
        for r in rows:
            w.writerow([r["id"], r["id"], r["first"], r["last"], r["email"]]
                       + [_cell(r["scores"].get(a)) for a in assignments])
    return [canvas, moodle]
