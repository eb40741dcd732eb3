"""What solutions/ prints is the same whichever CPU kernels torch and MKL pick.

torch picks its vectorised kernels by processor (ATen: DEFAULT, AVX2, AVX512; ATEN_CPU_CAPABILITY overrides
it), and so does MKL, its BLAS (MKL_ENABLE_INSTRUCTIONS). Sums taken in another order differ in the last bits,
and even the data differ: torch.normal fills float32 tensors of 16 or more elements with a vectorised
Box-Muller under AVX2 and AVX512 and a scalar one under DEFAULT. A printed figure whose last digit follows
those bits passes nbval on the machine that recorded it and fails on a student's laptop. The main nbval run of
`make test` uses this machine's own kernels; this file runs nbval again under other sets, so such a figure
fails here, where it is written: every solved notebook on the oldest x86-64 kernels (torch's DEFAULT, MKL's
SSE4.2), and notebook 04, whose training loops let rounding differences grow, on a laptop's AVX2 as well.
Measured on 2 cores: 19 s for the first set, 8 s for the second (all four notebooks on both: 38 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import REPO
from course_contract import NOTEBOOKS

# Each set names what torch must then report (torch.backends.cpu.get_cpu_capability()): a CPU without AVX2
# falls back to DEFAULT, and that set is skipped rather than run twice on the same kernels.
KERNEL_SETS = {
    "default-sse4_2": ({"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"}, "DEFAULT", NOTEBOOKS),
    "avx2-avx2": ({"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"}, "AVX2",
                  ["04_logistic_regression"]),
}
NOTEBOOK_RUN_TIMEOUT_S = 300


def _capability(env: dict[str, str]) -> str:
    probe = [sys.executable, "-c", "import torch; print(torch.backends.cpu.get_cpu_capability())"]
    return subprocess.run(probe, env=env, capture_output=True, text=True, check=True, timeout=120).stdout.strip()


def _nbval_failures(output: str) -> str:
    """The failed cells and the lines nbval says differ, from its report."""
    keep = [line for line in output.splitlines()
            if line.startswith("FAILED") or re.match(r"\s+[-+] ", line) or "Notebook cell execution failed" in line]
    return "\n".join(keep[:40]) or output[-3000:]


@pytest.mark.e2e
@pytest.mark.parametrize("kernels", KERNEL_SETS)
def test_solutions_print_the_same_on_other_cpu_kernels(kernels):
    """nbval on solutions/ with torch and MKL forced onto other CPU kernels passes: no printed figure depends on
    the processor."""
    settings, capability, names = KERNEL_SETS[kernels]
    env = dict(os.environ, **settings)
    active = _capability(env)
    if active != capability:
        pytest.skip(f"this CPU cannot run torch's {capability} kernels (torch runs {active})")
    notebooks = [f"solutions/{name}.ipynb" for name in names]
    cmd = [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-q", "--color=no", "--nbval",
           "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *notebooks]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=NOTEBOOK_RUN_TIMEOUT_S,
                          check=False)
    where = " ".join(f"{k}={v}" for k, v in settings.items())
    if proc.returncode != 0:
        pytest.fail(
            f"with {where} (torch on its {active} kernels) nbval expected the outputs stored in solutions/ and "
            "got other figures: a printed figure depends on the CPU's rounding. Print only the digits that are stable "
            "(fewer decimals or significant digits) or compute in float64, then `make notebooks`:\n"
            + _nbval_failures(proc.stdout + proc.stderr), pytrace=False)
