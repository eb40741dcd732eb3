"""A demo class to try the grader on before a real one: `python -m grading demo` (`make grade`).

usage: python -m grading demo [--keep DIR] [--jobs N] [ASSIGNMENT ...]

Builds a scratch nbgrader course with the four assignments released and a small class of hand-ins made from
the course's own material, grades it with `python -m grading autograde`, and prints the summary:

  ada    every notebook solved with the reference solutions (full marks)
  ben    every notebook untouched (0)
  chen   the first wrong answer of tests/misconceptions/ in every exercise (points lost where it is wrong)
  dana   right answers written differently, from tests/right_answers/ (full marks)
  eli    the second wrong answers
  fay    solved, but 01 patches math.isclose in the kernel to pass a wrong answer: the checks run in the
         grader and catch it anyway; flagged, and the checks after it that take the kernel's word about side
         effects score 0 (11/13); 03 is not a notebook at all (invalid file: not graded, with what to do about it)

With ASSIGNMENT names, only those notebooks are handed in. Without --keep the course lives in a temporary
folder that is removed afterwards, all but its report (python -m grading report), whose path is printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from grading.class_grading.classroom import hand_in, scratch_course, solved, submissions, with_answers
from grading.course.paths import notebook_names

TAMPER = (
    "import math\n\nmath.isclose = lambda *args, **kwargs: True  # makes every tolerance check pass\n\n\n"
    "def graph_grads(w, x):\n    return (0.0, 0.0)\n"
)


def demo_class(names: list[str]) -> dict[str, dict[str, nbformat.NotebookNode]]:
    pools = {name: submissions(name) for name in names}
    roster = {
        student: {name: pools[name].get(variant, pools[name]["solved"]) for name in names}
        for student, variant in (("ada", "solved"), ("ben", "stub"), ("chen", "wrong_1"), ("dana", "right_1"),
                                 ("eli", "wrong_2"))
    }
    fay = {name: solved(name) for name in names}
    if "01_autograd_basics" in fay:
        fay["01_autograd_basics"] = with_answers(fay["01_autograd_basics"], {"graph_grads": TAMPER})
    roster["fay"] = fay
    return roster


def build(root: Path, names: list[str] | None = None) -> Path:
    names = names or notebook_names()
    scratch_course(root, names)
    roster = demo_class(names)
    broken = "03_autograd_pitfalls" if "03_autograd_pitfalls" in names else None
    if broken:
        del roster["fay"][broken]
    hand_in(root, roster)
    if broken:
        folder = root / "submitted" / "fay" / broken
        folder.mkdir(parents=True)
        (folder / f"{broken}.ipynb").write_text('{"cells": [ this is not JSON, the file was cut short')
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading demo", description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the demo course here (a new folder) and keep it")
    parser.add_argument("--jobs", type=int, help="parallel workers (default: cores)")
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="only these notebooks (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.assignments) - set(notebook_names()))
    if unknown:
        parser.error(f"unknown assignment {', '.join(unknown)}; the course has {', '.join(notebook_names())}")
    if args.keep is not None and args.keep.exists():
        parser.error(f"{args.keep} exists; give a new folder")
    root = args.keep or Path(tempfile.mkdtemp(prefix="grading-demo-")) / "course"
    try:
        print(f"building the demo class in {root} ...", flush=True)
        build(root, args.assignments)
        from grading.class_grading.autograde import main as autograde

        return autograde(["--course", str(root), *(["--jobs", str(args.jobs)] if args.jobs else [])])
    finally:
        if args.keep is None:
            report = root / "reports"
            if (report / "report.html").is_file():  # the report stays, beside where the course was
                report = report.rename(root.parent / "reports")
            shutil.rmtree(root, ignore_errors=True)
            kept = f"its report is kept: {report / 'report.html'}; " if report.parent == root.parent else ""
            if not kept:
                shutil.rmtree(root.parent, ignore_errors=True)
            print(f"(the demo course is removed again; {kept}`python -m grading demo --keep DIR` keeps its "
                  "autograded notebooks, feedback and grades.csv)")


if __name__ == "__main__":
    sys.exit(main())
