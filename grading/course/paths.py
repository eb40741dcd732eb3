"""Where things live in the repository, and what the generated notebooks carry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "grading"
SOURCE = COURSE / "source"
STUDENT_DIR = REPO / "notebooks"
SOLUTION_DIR = REPO / "solutions"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
RULES = Path(__file__).resolve().parent / "GRADING.md"  # the grading rules every notebook links to
RULES_NOTE = ("<!-- Generated from grading/course/GRADING.md by `make notebooks`; do not edit: edit the source and "
              "regenerate. -->")
RULES_NOTE_ZH = ("<!-- Generated from grading/translations/zh/GRADING.md (the Chinese of grading/course/GRADING.md) by "
                 "`make notebooks`; do not edit: edit the source and regenerate. -->")
GENERATED_NOTE = (
    "Generated from grading/source/{name}/{name}.ipynb by `make notebooks`; do not edit: "
    "edit the source notebook and regenerate."
)


def notebook_names(source: Path = SOURCE) -> list[str]:
    """The course's notebooks: every folder of source/ holding a notebook of the same name."""
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def source_path(name: str, source: Path = SOURCE) -> Path:
    return source / name / f"{name}.ipynb"


def run_nbgrader(course_root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run an nbgrader command in a course root, output captured.

    nbgrader runs `alembic` from PATH, so this interpreter's scripts folder goes first on it,
    also when the venv is not activated."""
    env = dict(os.environ if env is None else env)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_root, env=env,
                          capture_output=True, text=True, check=False)
