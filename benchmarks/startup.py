"""What starting a grading process costs: the imports every nbgrader command, class-grader worker and test
worker pays before it does anything.

usage: python benchmarks/startup.py [--repeat N]

The baseline, run in the same process, is `python -c pass`. The row that matters most is `import nbformat`:
jsonschema's optional IRI checker `rfc3987_syntax` (pulled in by jsonschema >= 4.25's format-nongpl extra)
compiles about 40 grammars when imported, which once cost 1.4 s in every one of those processes; the pins
in requirements.txt keep it out (tests/test_hygiene.py fails if it comes back). The `without` rows import the
same module with `rfc3987_syntax` blocked, so the two columns agree when it is not installed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BLOCK = "import sys; sys.modules['rfc3987_syntax'] = None; "
ROWS = [
    ("import nbformat", "import nbformat"),
    ("import nbgrader.apps", "import nbgrader.apps"),
    ("import the class grader", "import grading.class_grading.autograde"),
]


def run(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = run("pass", args.repeat)
    print(f"baseline `python -c pass`: {base:.4f} s (median of {args.repeat})")
    print(f"{'process':28s} {'s':>7s} {'x baseline':>10s} {'s without rfc3987_syntax':>25s}")
    for label, code in ROWS:
        with_it, without = run(code, args.repeat), run(BLOCK + code, args.repeat)
        print(f"{label:28s} {with_it:7.4f} {with_it / base:10.4f} {without:25.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
