"""Run the solved notebooks' code as plain Python, where Jupyter is not installed (a GPU machine, say).

usage: python tools/solutions_as_scripts.py [--default-device DEVICE] [NOTEBOOK.ipynb ...]

Each notebook's code cells run in order in one namespace; a cell tagged raises-exception must raise.
With --default-device cuda, tensors are created on the GPU unless the code says otherwise (a stricter
check than "runs on a machine with a GPU"). Standard library and torch only. Exit 1 if a cell fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
REPO = Path(__file__).resolve().parent.parent


def run_notebook(path: Path) -> str | None:
    """Run one notebook; return None, or what failed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__main__"}
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        expect_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"{path.name}:cell{i}", "exec"), namespace)  # noqa: S102 (running the notebook is the point)
        except Exception:  # noqa: BLE001 (any failure of the notebook's own code is what we report)
            if not expect_error:
                return f"cell {i}: {traceback.format_exc().strip().splitlines()[-1]}"
        else:
            if expect_error:
                return f"cell {i}: tagged raises-exception but ran without an error"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--default-device", default=None)
    args = parser.parse_args()
    import torch

    if args.default_device:
        torch.set_default_device(args.default_device)
    print(f"torch {torch.__version__}, cuda available: {torch.cuda.is_available()}, "
          f"default device: {args.default_device or 'cpu'}")
    failures = 0
    for path in args.notebooks or sorted((REPO / "solutions").glob("*.ipynb")):
        start = time.perf_counter()
        problem = run_notebook(path)
        failures += problem is not None
        print(f"{path.stem:26s} {'ok' if problem is None else 'FAILED ' + problem} ({time.perf_counter() - start:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
