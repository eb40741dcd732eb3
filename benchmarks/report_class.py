"""Time the report after grading (`python -m grading report`) on a class of N students × the four notebooks.

usage: python benchmarks/report_class.py [--students 40] [--course DIR] [--keep DIR]

Builds a class in a scratch course (grading/class_grading/classroom.py mixed_class: in turn solved, stub, wrong
and right answers) and grades it with `python -m grading autograde`, unless --course names a course graded
already (e.g. by `benchmarks/grade_class.py --keep DIR`). Then, on a copy, it times:

- `python -m grading report` as an instructor runs it (a new process: imports, gradebook, autograded
  notebooks, figures, files): wall and CPU time, against the goal of under 10 s for 40 students;
- the same report in this process, against the floor measured in this process just before: reading what the
  report reads (the gradebook's scores and every autograded notebook as JSON), nothing computed or drawn.

It prints the class's most common misconceptions, as the report found them.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grading.class_grading.classroom import hand_in, mixed_class, scratch_course
from grading.class_grading.item_analysis import most_common, read_scores, write_report
from grading.course.paths import notebook_names

GOAL_S = 10.0


def grade(course: Path, students: int) -> None:
    scratch_course(course)
    hand_in(course, mixed_class(students))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "grading", "autograde", "--course", str(course)], cwd=REPO,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"grading the class failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    print(f"graded {len(list(course.glob('autograded/*/*')))} notebooks in {time.monotonic() - started:.1f} s")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--course", type=Path, help="a graded course to report on (default: build and grade one)")
    parser.add_argument("--keep", type=Path, help="build the graded class here (a new folder) and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.course
        if source is None:
            source = args.keep or Path(tmp) / "graded"
            grade(source, args.students)
        course = Path(tmp) / "course"  # a copy: the report writes reports/ into the course
        shutil.copytree(source, course, ignore=shutil.ignore_patterns("reports"))
        assignments = [a for a in notebook_names(course / "source") if any((course / "autograded").glob(f"*/{a}"))]
        notebooks = sorted(course.glob("autograded/*/*/*.ipynb"))
        students = len({p.parts[-3] for p in notebooks})

        before, started = children_cpu(), time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "grading", "report", "--course", str(course)], cwd=REPO,
                              capture_output=True, text=True, check=False)
        wall, cpu = time.monotonic() - started, children_cpu() - before
        if proc.returncode != 0:
            sys.exit(f"the report failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")

        started = time.perf_counter()
        read_scores(course)
        for path in notebooks:
            json.loads(path.read_text(encoding="utf-8"))
        floor = time.perf_counter() - started
        started = time.perf_counter()
        report = write_report(course, Path(tmp) / "again", assignments, log=io.StringIO())
        in_process = time.perf_counter() - started

    print(f"class: {students} students, {len(notebooks)} autograded notebooks, {len(assignments)} assignments")
    print(f"python -m grading report: {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(goal: under {GOAL_S:g} s; {'met' if wall < GOAL_S else 'NOT met'})")
    print(f"in this process: report {in_process:.2f} s, floor (read the gradebook and the notebooks) {floor:.2f} s, "
          f"ratio {in_process / floor:.1f}")
    print("most common misconceptions:")
    for m in most_common(report.misconceptions, 5):
        print(f"  {len(m.students):3d} students  {m.assignment}/{m.exercise}  {m.misconception}")
    return 0 if wall < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
