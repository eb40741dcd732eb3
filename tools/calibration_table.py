"""Print the calibration table of the answer corpus: per exercise, how many wrong answers the tests catch and
which check caught each one with what message, and whether every right answer earns full marks.

usage: python tools/calibration_table.py [NOTEBOOK ...]    (grades through real nbgrader, a few minutes)
"""

from __future__ import annotations

import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import misconceptions  # noqa: F401  (puts the repository on sys.path)
from corpus import calibration_table, grade
from course_contract import NOTEBOOKS


def main() -> int:
    names = sys.argv[1:] or NOTEBOOKS
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(names, pool.map(lambda n: grade(n, Path(tmp) / n), names)))
    table = calibration_table(results)
    print(table)
    return 1 if ("MISSED" in table or "REJECTED" in table) else 0


if __name__ == "__main__":
    sys.exit(main())
