"""What the class got wrong, read from a graded course: per hidden check its pass rate and how well it separates
strong from weak students, and per student the points of every exercise.

usage: python -m grading report [ASSIGNMENT ...] [--course DIR] [--out DIR]

Reads the gradebook (opened read-only) and the course's source notebooks; runs no student code and changes
nothing in the course but the report folder (default <course>/reports). Writes:

  checks.csv    one row per hidden check: assignment, exercise, check, points, students graded, mean score,
                share with full points, discrimination (the point-biserial correlation of "full points on this
                check" with the student's points on the rest of the assignment) and a note when the check is too
                easy (every student earns its points), too hard (none does) or discriminates negatively
  misconceptions.csv  per assignment and exercise, each misconception the failed checks named (the tag
                `[misconception: <id>]` of the hidden tests' messages, grading/course/misconceptions.py), with
                the number and ids of the students; failures that name none are "other", grouped by message
  students.csv  per student the points of every exercise, one column per exercise in the notebooks' order
                (blank where the notebook was not graded)
  canvas.csv, moodle.csv  the grades in the import formats of Canvas and Moodle (grading/class_grading/lms.py)
  report.html   one self-contained page (figures embedded, works offline): a score histogram per assignment,
                the share of students with full points per exercise, the misconceptions, the submissions flagged
                for review and why, and the checks the note column marks

The failure messages and flags come from the autograded notebooks. An assignment nobody handed in, or an
autograded notebook missing or unreadable, is skipped with a line saying so; the rest is still written.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import html
import io
import json
import math
import sqlite3
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grading.class_grading import lms
from grading.class_grading.classroom import GRADE_JOINS
from grading.course.layout import exercises, nbgrader_meta
from grading.course.misconceptions import GLOSSARY, OTHER, named_in
from grading.course.paths import COURSE, notebook_names
from grading.judging.sandbox import FLAGS_KEY

# score of every graded hidden check (a check with points): the manual score where an instructor gave one
_SCORES = ("SELECT student.id, assignment.name, base_cell.name, "
           "COALESCE(grade.manual_score, grade.auto_score, 0), grade_cells.max_score" + GRADE_JOINS
           + "JOIN grade_cells ON grade.cell_id = grade_cells.id WHERE grade_cells.max_score > 0")
CHECK_COLUMNS = ["assignment", "exercise", "check", "points", "students_graded", "mean_score", "share_full",
                 "discrimination", "note"]
MISCONCEPTION_COLUMNS = ["assignment", "exercise", "misconception", "meaning", "students", "student_ids", "message"]
NO_OUTPUT = "(no error output: the score was set without one)"


@dataclass
class CheckStats:
    assignment: str
    exercise: str
    check: str
    points: float
    scores: dict[str, float]  # student -> score
    discrimination: float | None
    note: str

    @property
    def share_full(self) -> float:
        return sum(s >= self.points for s in self.scores.values()) / len(self.scores)

    @property
    def mean_score(self) -> float:
        return sum(self.scores.values()) / len(self.scores)

    def row(self) -> list:
        r = "" if self.discrimination is None else f"{self.discrimination:.4f}"
        return [self.assignment, self.exercise, self.check, f"{self.points:g}", len(self.scores),
                f"{self.mean_score:.4f}", f"{self.share_full:.4f}", r, self.note]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation of xs and ys; None when either is constant (no student differs from another)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _note(share_full: float, discrimination: float | None) -> str:
    if share_full == 1:
        return "too easy: every student earns its points"
    if share_full == 0:
        return "too hard: no student earns its points"
    if discrimination is not None and discrimination < 0:
        return "discriminates negatively: students who do well elsewhere fail it more often"
    return ""


def read_scores(course: Path) -> list[tuple[str, str, str, float, float]]:
    """(student, assignment, check, score, points) of every graded hidden check; the gradebook opened read-only."""
    uri = f"{(course / 'gradebook.db').resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
        return [(s, a, c, float(score), float(points)) for s, a, c, score, points in con.execute(_SCORES)]


def check_order(course: Path, assignment: str) -> list[tuple[str, str]]:
    """(exercise, check) of the assignment's hidden checks in notebook order, from its source notebook."""
    nb = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return [(ex.name, nbgrader_meta(cell)["grade_id"]) for ex in exercises(nb) for cell in ex.tests
            if nbgrader_meta(cell).get("points", 0) > 0]


def analyse(course: Path, assignments: list[str], log=sys.stdout) -> tuple[list[CheckStats], dict]:
    """The statistics of every hidden check, and student -> (assignment, exercise) -> points."""
    by_check: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    points: dict[tuple[str, str], float] = {}
    for student, assignment, check, score, max_score in read_scores(course):
        by_check[assignment, check][student] = score
        points[assignment, check] = max_score
    stats, per_student = [], defaultdict(dict)
    for assignment in assignments:
        order = check_order(course, assignment)
        graded = [(ex, check) for ex, check in order if (assignment, check) in by_check]
        if not graded:
            print(f"report: {assignment} skipped: no graded submission in the gradebook", file=log)
            continue
        students = sorted({s for _, check in graded for s in by_check[assignment, check]})
        totals = {s: sum(by_check[assignment, c].get(s, 0.0) for _, c in graded) for s in students}
        for exercise, check in graded:
            scores = by_check[assignment, check]
            full = [1.0 if scores[s] >= points[assignment, check] else 0.0 for s in scores]
            rest = [totals[s] - scores[s] for s in scores]
            stat = CheckStats(assignment, exercise, check, points[assignment, check], scores, pearson(full, rest), "")
            stat.note = _note(stat.share_full, stat.discrimination)
            stats.append(stat)
            for s, score in scores.items():
                per_student[s][assignment, exercise] = per_student[s].get((assignment, exercise), 0.0) + score
    return stats, per_student


@dataclass
class Misconception:
    """The students whose failed checks of one exercise named the same misconception (for `other`: the same
    message)."""

    assignment: str
    exercise: str
    misconception: str
    message: str  # the first failure message seen; for `other` the message the row groups by
    students: set[str] = field(default_factory=set)

    def row(self) -> list:
        return [self.assignment, self.exercise, self.misconception, GLOSSARY.get(self.misconception, ""),
                len(self.students), " ".join(sorted(self.students)), self.message]


@dataclass
class Flagged:
    student: str
    assignment: str
    kind: str  # tamper, timeout, crash (grading/judging/sandbox.py add_flag)
    reason: str


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def read_autograded(path: Path) -> tuple[dict[str, str], list[dict]]:
    """grade_id -> failure message (`Error: text`) of every graded cell with an error output, and the notebook's
    flags. Read as plain JSON: a class has hundreds of these, and nothing here needs nbformat's validation."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    messages = {}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if gid and errors:
            messages[gid] = f"{errors[0].get('ename', '')}: {errors[0].get('evalue', '')}"
    return messages, list(nb.get("metadata", {}).get(FLAGS_KEY, []))


def diagnose(course: Path, stats: list[CheckStats], log=sys.stdout) -> tuple[list[Misconception], list[Flagged]]:
    """What the failed checks of every graded submission named, and the submissions flagged for review, from the
    autograded notebooks; a notebook that is missing or unreadable is skipped with a line (its scores count)."""
    lost: dict[tuple[str, str], list[CheckStats]] = defaultdict(list)  # (student, assignment) -> failed checks
    graded: set[tuple[str, str]] = set()
    for stat in stats:
        for student, score in stat.scores.items():
            graded.add((student, stat.assignment))
            if score < stat.points:
                lost[student, stat.assignment].append(stat)
    groups: dict[tuple, Misconception] = {}
    flagged = []
    for student, assignment in sorted(graded):
        path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        try:
            messages, flags = read_autograded(path)
        except FileNotFoundError:
            print(f"report: {student}/{assignment} skipped for misconceptions and flags: no autograded notebook "
                  f"at {path} (its scores are counted)", file=log)
            continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            print(f"report: {student}/{assignment} skipped for misconceptions and flags: {path} is unreadable "
                  f"({type(err).__name__}: {err}); its scores are counted", file=log)
            continue
        flagged += [Flagged(student, assignment, f.get("kind", "tamper"), f.get("reason", "")) for f in flags]
        for stat in lost.get((student, assignment), []):
            message = messages.get(stat.check, NO_OUTPUT)
            named = named_in(message) or OTHER
            key = (assignment, stat.exercise, named) + ((_first_line(message),) if named == OTHER else ())
            group = groups.setdefault(key, Misconception(assignment, stat.exercise, named, _first_line(message)))
            group.students.add(student)
    order = {a: i for i, a in enumerate(dict.fromkeys(s.assignment for s in stats))}
    exercise_order = {(s.assignment, s.exercise): i for i, s in enumerate(stats)}
    found = sorted(groups.values(), key=lambda m: (order[m.assignment], exercise_order[m.assignment, m.exercise],
                                                   m.misconception == OTHER, -len(m.students), m.misconception,
                                                   m.message))
    return found, flagged


def most_common(found: list[Misconception], n: int = 3) -> list[Misconception]:
    """The n named misconceptions (not `other`) held by most students."""
    named = [m for m in found if m.misconception != OTHER]
    return sorted(named, key=lambda m: -len(m.students))[:n]


@dataclass
class Report:
    files: list[Path]
    misconceptions: list[Misconception]
    flagged: list[Flagged]


def _write_csv(path: Path, header: list[str], rows) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_report(course: Path, out: Path, assignments: list[str], log=sys.stdout) -> Report:
    stats, per_student = analyse(course, assignments, log)
    found, flagged = diagnose(course, stats, log)
    out.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys((s.assignment, s.exercise) for s in stats))
    students = [[student] + [f"{per_student[student][c]:g}" if c in per_student[student] else "" for c in columns]
                for student in sorted(per_student)]
    written = [
        _write_csv(out / "checks.csv", CHECK_COLUMNS, (s.row() for s in stats)),
        _write_csv(out / "students.csv", ["student"] + [f"{a}/{e}" for a, e in columns], students),
        _write_csv(out / "misconceptions.csv", MISCONCEPTION_COLUMNS, (m.row() for m in found)),
        *lms.write(course, out, assignments),
    ]
    path = out / "report.html"
    path.write_text(_html(stats, per_student, found, flagged), encoding="utf-8")
    return Report([*written, path], found, flagged)


def _figure_png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figures(stats: list[CheckStats], per_student: dict) -> list[tuple[str, str]]:
    """(title, base64 PNG) per assignment: the students' totals, and the share with full points per exercise."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never a window
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    found = []
    for assignment in dict.fromkeys(s.assignment for s in stats):
        checks = [s for s in stats if s.assignment == assignment]
        maximum = sum(s.points for s in checks)
        totals = [sum(got.get((assignment, e), 0.0) for e in dict.fromkeys(s.exercise for s in checks))
                  for got in per_student.values() if any(a == assignment for a, _ in got)]
        exercise_full: dict[str, list[bool]] = defaultdict(list)
        for student in {st for s in checks for st in s.scores}:
            for exercise in dict.fromkeys(s.exercise for s in checks):
                own = [s for s in checks if s.exercise == exercise and student in s.scores]
                if own:
                    exercise_full[exercise].append(all(s.scores[student] >= s.points for s in own))
        height = 1.2 + 0.3 * len(exercise_full)
        fig = Figure(figsize=(10, height))
        # fixed margins in inches, room for the exercise names between the two plots: a layout engine would
        # draw every figure twice, most of the report's time
        bottom, top = 0.6 / height, 1 - 0.35 / height
        left = fig.add_axes((0.06, bottom, 0.28, top - bottom))
        right = fig.add_axes((0.56, bottom, 0.42, top - bottom))
        left.hist(totals, bins=min(20, int(maximum) + 1), range=(0, maximum), color="tab:blue")
        left.set_xlabel(f"points (of {maximum:g})")
        left.set_ylabel("students")
        left.yaxis.set_major_locator(MaxNLocator(integer=True))
        left.set_title("scores")
        names = list(exercise_full)
        right.barh(names[::-1], [100 * sum(v) / len(v) for v in list(exercise_full.values())[::-1]],
                   color="tab:green")
        right.set_xlim(0, 100)
        right.set_xlabel("% of students with full points")
        right.set_title("exercises")
        found.append((assignment, _figure_png(fig)))
    return found


def _table(columns: list[str], rows: list[list]) -> str:
    head = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr>"
    body = ["<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows]
    return "<table>" + head + "".join(body) + "</table>"


def _html(stats: list[CheckStats], per_student: dict, found: list[Misconception], flagged: list[Flagged]) -> str:
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}img{max-width:100%}"
             "td{max-width:420px;overflow-wrap:anywhere}")
    intro = (f"{len(per_student)} students, {len(stats)} hidden checks. Discrimination: the correlation of full "
             "points on a check with the points on the rest of the assignment.")
    head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Item analysis</title><style>{style}</style></head>"
    parts = [head, "<body><h1>Item analysis</h1>", f"<p>{intro}</p>"]
    for assignment, png in _figures(stats, per_student):
        parts.append(f"<h2>{html.escape(assignment)}</h2><img alt='scores and exercises of {html.escape(assignment)}'"
                     f" src='data:image/png;base64,{png}'>")
    parts.append("<h2 id='misconceptions'>Misconceptions</h2>")
    named = [m for m in found if m.misconception != OTHER]
    if named:
        parts.append("<p>What the failed hidden checks diagnosed, most students first within each exercise "
                     "(misconceptions.csv also lists the failures that name no misconception, as <i>other</i>).</p>")
        parts.append(_table(["assignment", "exercise", "misconception", "meaning", "students", "who"],
                            [m.row()[:6] for m in named]))
    else:
        parts.append("<p>None: no failed check named a misconception.</p>")
    others = sum(len(m.students) for m in found if m.misconception == OTHER)
    if others:
        parts.append(f"<p>Failures naming no misconception (<i>other</i>): {others}, in misconceptions.csv.</p>")
    parts.append("<h2 id='flagged'>Flagged for review</h2>")
    if flagged:
        parts.append(_table(["student", "assignment", "kind", "why"],
                            [[f.student, f.assignment, f.kind, f.reason] for f in flagged]))
    else:
        parts.append("<p>None.</p>")
    marked = [s for s in stats if s.note]
    parts.append("<h2 id='checks'>Checks to look at</h2>")
    if marked:
        parts.append(_table(CHECK_COLUMNS, [s.row() for s in marked]))
    else:
        parts.append("<p>None: every check separates students.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading report", description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="only these (default: all)")
    parser.add_argument("--course", type=Path, default=COURSE, help="the nbgrader course folder (default: grading/)")
    parser.add_argument("--out", type=Path, help="where the report goes (default: <course>/reports)")
    args = parser.parse_args(argv)
    if not (args.course / "gradebook.db").is_file():
        parser.error(f"{args.course} has no gradebook.db: grade the class first (python -m grading autograde)")
    known = notebook_names(args.course / "source")
    unknown = sorted(set(args.assignments) - set(known))
    if unknown:
        parser.error(f"unknown assignment {', '.join(unknown)}; the course has {', '.join(known)}")
    out = args.out or args.course / "reports"
    for path in write_report(args.course, out, args.assignments or known).files:
        print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
