"""Print the calibration table of the answer corpus: per exercise, how many wrong answers the tests catch and
which check caught each one with what message, and whether every right answer earns full marks.

usage: python tools/calibration_table.py [NOTEBOOK ...]    (grades the corpus with the class grader, a minute or two)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from classes import ClassRun, corpus_roster, grade_with_class_grader, hand_in_class
from corpus import calibration_table, read_graded
from course_contract import NOTEBOOKS


def main() -> int:
    names = sys.argv[1:] or NOTEBOOKS
    with tempfile.TemporaryDirectory() as tmp:
        hand_in_class(Path(tmp) / "handed-in", corpus_roster(names), names)
        grade_with_class_grader(Path(tmp), Path(tmp) / "handed-in")
        run = ClassRun(Path(tmp))
        if run.returncode != 0:
            print(run.failure(), file=sys.stderr)
            return 2
        table = calibration_table({name: read_graded(run.course, name) for name in names})
    print(table)
    return 1 if ("MISSED" in table or "REJECTED" in table) else 0


if __name__ == "__main__":
    sys.exit(main())
