"""How long each solved notebook takes to run top to bottom, kernel start included.

usage: python benchmarks/solution_runtime.py [--repeat N]

The baseline, run in the same process, is a kernel that starts and imports torch and matplotlib
and does nothing else: the floor under any notebook of the course. Goal: every notebook < 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
GOAL_S = 10.0


def run_once(nb: nbformat.NotebookNode, cwd: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import torch, matplotlib.pyplot")])
    rows = [("baseline: kernel + imports", floor)]
    rows += [(p.stem, nbformat.read(p, as_version=4)) for p in sorted((REPO / "solutions").glob("*.ipynb"))]
    base = None
    print(f"{'notebook':30s} {'median s':>9s} {'min s':>7s} {'x baseline':>10s}")
    worst = 0.0
    for label, nb in rows:
        times = [run_once(nb, REPO / "solutions") for _ in range(args.repeat)]
        med = statistics.median(times)
        base = base or med
        if label.startswith("baseline"):
            print(f"{label:30s} {med:9.2f} {min(times):7.2f} {1.0:10.2f}")
            continue
        worst = max(worst, med)
        print(f"{label:30s} {med:9.2f} {min(times):7.2f} {med / base:10.2f}")
    print(f"slowest notebook: {worst:.2f} s (goal < {GOAL_S:.0f} s): {'met' if worst < GOAL_S else 'NOT met'}")
    return 0 if worst < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
