"""Where things live in the repository, and what the generated notebooks carry."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "grading"
SOURCE = COURSE / "source"
STUDENT_DIR = REPO / "notebooks"
SOLUTION_DIR = REPO / "solutions"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
GENERATED_NOTE = (
    "Generated from grading/source/{name}/{name}.ipynb by `make notebooks`; do not edit: "
    "edit the source notebook and regenerate."
)


def notebook_names(source: Path = SOURCE) -> list[str]:
    """The course's notebooks: every folder of source/ holding a notebook of the same name."""
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def source_path(name: str, source: Path = SOURCE) -> Path:
    return source / name / f"{name}.ipynb"


def tool_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses: nbgrader runs `alembic` from PATH, so put this
    interpreter's scripts folder first even when the venv is not activated."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env
