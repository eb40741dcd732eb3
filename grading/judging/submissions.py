"""What is wrong with each student's submission, in words a student can act on, before grading.

usage: python -m grading submissions ASSIGNMENT [--course DIR]

Reads submitted/<student>/<ASSIGNMENT>/ of the course (default: grading/) and prints one status per student:
ok, or what is wrong (missing or renamed notebook, not valid JSON, grader metadata lost) and what to do.
Reads only; nothing in the submission folders is modified.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grading.course.paths import COURSE


def graded_ids(nb: dict) -> set[str]:
    return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.get("cells", [])} - {None}


def status(folder: Path, name: str, released: set[str]) -> str:
    """'ok', or what is wrong with one student's submission folder and what to do about it."""
    path = folder / f"{name}.ipynb"
    if not path.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        if others:
            return (f"renamed: expected {path.name}, found {', '.join(others)}; rename it to {path.name} "
                    "and submit again")
        return f"missing: no {path.name} in the submission; submit the notebook {path.name}"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return (f"not a notebook: {path.name} is not valid JSON ({err}); open it in JupyterLab, or copy your "
                "answers into a fresh copy of the assignment, save, and submit again")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return f"not a notebook: {path.name} has no cells; submit the assignment notebook itself"
    lost = released - graded_ids(nb)
    if released and len(lost) == len(released):
        return (f"grader metadata lost: none of the {len(released)} graded cells of {path.name} is recognisable "
                "(was it copied into a new notebook?); paste your answers into a fresh copy and submit again")
    if lost:
        return f"ok, but {len(lost)} graded cell(s) missing: {', '.join(sorted(lost))} (those checks score 0)"
    return "ok"


def statuses(course: Path, name: str) -> dict[str, str]:
    release = course / "release" / name / f"{name}.ipynb"
    released = graded_ids(json.loads(release.read_text(encoding="utf-8"))) if release.is_file() else set()
    submitted = course / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    return {s: status(submitted / s / name, name, released) for s in students}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading submissions", description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=COURSE)
    args = parser.parse_args(argv)
    if not (args.course / "nbgrader_config.py").is_file():
        parser.error(f"{args.course} is not an nbgrader course (no nbgrader_config.py)")
    found = statuses(args.course, args.assignment)
    if not found:
        parser.error(f"no submissions in {args.course / 'submitted'}")
    width = max(map(len, found))
    for student, text in found.items():
        print(f"{student:{width}s}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
