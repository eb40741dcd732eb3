"""Where `make test` spends the machine: the whole suite's wall and CPU time, then each test file alone.

usage: python benchmarks/suite_cpu.py [--no-whole] [--files FILE ...]

The suite is CPU-bound on a 2-core machine (its processes keep both cores busy), so its wall time cannot fall
below its CPU time divided by the cores. This script measures that floor instead of guessing it:

- the machine's CPU is read from /proc/stat (every process counts: kernels, sandboxes, Chromium, Dask
  workers; a process's own rusage misses what its sandboxed grandchildren do), after a few seconds of idle
  baseline measured in this process and subtracted, so a busy machine is seen, not hidden;
- the whole suite once, as `make test` runs it (pytest-xdist, the options of pyproject.toml): wall time, CPU
  time, how busy the cores were, and the floor (CPU / cores) against the time goal;
- then each file alone (`-n 0`), sorted by CPU. A file that reads a shared graded class (tests/classes.py)
  builds it on its own here, so the per-file figures overlap and their sum is above the suite's.

Linux only (/proc/stat). Takes about as long as the suite plus the sum of its files (about 25 minutes here).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_S = 480.0  # `make test` after install on a 2-core machine: 8 minutes (README, Working on the course)
IDLE_S = 5.0


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def measure(args: list[str], background: float) -> tuple[float, float, str]:
    """Wall time, CPU time net of the background load, and pytest's last line."""
    start_cpu, start = busy_seconds(), time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=REPO, capture_output=True, text=True,
                          check=False)
    wall = time.monotonic() - start
    cpu = busy_seconds() - start_cpu - background * wall
    last = (proc.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")
    if proc.returncode != 0:  # the figures are those of a run that failed or did not run at all
        last = f"pytest exited {proc.returncode}: {last}"
    return wall, cpu, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-whole", action="store_true", help="skip the run of the whole suite")
    parser.add_argument("--files", nargs="*", help="test files (default: tests/test_*.py and solutions/)")
    args = parser.parse_args()
    if not Path("/proc/stat").is_file():
        print("suite_cpu: needs Linux's /proc/stat to read the machine's CPU time", file=sys.stderr)
        return 2
    cores = os.cpu_count() or 1

    start = busy_seconds()
    time.sleep(IDLE_S)
    background = (busy_seconds() - start) / IDLE_S
    print(f"background load before the runs: {background:.2f} cores busy (subtracted below)")
    if background > 0.2:
        print("warning: the machine is not quiet; the figures below include what else runs")

    if not args.no_whole:
        wall, cpu, last = measure([], background)
        floor = cpu / cores
        print(f"\nwhole suite: wall {wall:.0f} s, CPU {cpu:.0f} s on {cores} cores ({cpu / wall / cores:.0%} busy): "
              f"{last}")
        print(f"floor (CPU / cores): {floor:.0f} s; goal {GOAL_S:.0f} s; floor / goal = {floor / GOAL_S:.2f}")

    files = args.files or [str(p.relative_to(REPO)) for p in sorted((REPO / "tests").glob("test_*.py"))] + ["solutions"]
    rows = []
    for file in files:
        wall, cpu, last = measure([file, "-n", "0"], background)
        rows.append((cpu, wall, file, last))
        print(f"  {file:40s} wall {wall:6.1f} s  CPU {cpu:6.1f} s  {last}", flush=True)
    print("\neach file alone, by CPU (files that build a shared class include it):")
    for cpu, wall, file, _ in sorted(rows, reverse=True):
        print(f"  {cpu:7.1f} s CPU  {wall:6.1f} s wall  {file}")
    print(f"  {sum(r[0] for r in rows):7.1f} s CPU in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
