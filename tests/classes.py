"""Graded classes shared by the test modules: each is graded once per test session, whichever module asks first.

The expensive things of the suite are gradings. Each class below is built and graded once, in a folder shared
by every pytest-xdist worker of the session (a file lock makes the others wait for the first and then read
what it wrote), and every test that reads it reads that one grading:

- `corpus_class`: the answer corpus of all four notebooks (tests/corpus.py: solved, stub, wrong_k, right_k),
  and a Chinese sample (`ZH_STUDENTS`: solved and wrong_1 of every notebook, and 01's stub, in the Chinese
  edition, read by tests/test_translations.py) graded by `python -m grading autograde`, the warm class grader, from a scratch course. The verdicts of
  tests/test_autograde.py and the class summary of tests/test_class_grading.py read it.
- `plain_sample`: a sample of the same class graded by plain `nbgrader autograde`, the reference the class
  grader must match check for check: the students `PLAIN_SAMPLE`, who hand in every notebook with a wrong
  answer in every exercise, and with a right answer written differently in every exercise. (A whole class
  against plain nbgrader, 160 notebooks, is benchmarks/grade_class.py.)
- `tamper_class`: notebook 01 handed in by the attacks of tests/tamper/, attacks on the grader cells, controls
  and a file that is not a notebook, graded by the class grader with a short cell time limit.
- `deployed_server`: grading/ copied outside the repository, as to a grading server, where plain `nbgrader
  autograde` grades the solution, attacks on the kernel and bad hand-ins of notebook 01.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import nbformat
import psutil
from conftest import REPO, student_nb
from corpus import solved, submissions, with_answers
from course_contract import NOTEBOOKS
from filelock import FileLock

from grading.class_grading.classroom import hand_in, scratch_course
from grading.course.layout import nbgrader_meta
from grading.course.paths import COURSE, run_nbgrader
from grading.course.translations import edition

PLAIN_SAMPLE = ("wrong_1", "right_1")  # every exercise of every notebook, answered wrong and answered right
TAMPER = REPO / "tests" / "tamper"
NB01 = "01_autograd_basics"
WRONG_GRAPH_GRADS = "def graph_grads(w, x):\n    return (0.0, 0.0)\n"
TAMPER_CELL_TIMEOUT_S = 5  # the endless loops of the tamper class cost seconds, not the default two minutes


def shared(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, built by `build(folder)` once per session for all xdist workers.

    A failed build is recorded, so that the other workers fail with its traceback instead of building again."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # popen-gwN/ is per worker; its parent is this session's, shared by all workers
    folder, failed = base / f"shared-{name}", base / f"shared-{name}.failed"
    with FileLock(str(base / f"shared-{name}.lock")):
        if failed.exists():
            raise RuntimeError(f"building the shared {name} failed in another worker:\n{failed.read_text()}")
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(folder)
            except BaseException:
                failed.write_text(traceback.format_exc())
                raise
            (folder / ".built").touch()
    return folder


# --- running the class grader as an instructor does ---------------------------------------------------------

def grader_env(marker: Path) -> dict[str, str]:
    """Every temporary folder of a run (the sandboxes' sockets) goes under `marker`, which finds its processes."""
    marker.mkdir(parents=True, exist_ok=True)
    return dict(os.environ, TMPDIR=str(marker))


def run_autograde(course: Path, *args: str, marker: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grading", "autograde", "--course", str(course), *args],
                          cwd=REPO, env=grader_env(marker), capture_output=True, text=True, timeout=timeout,
                          check=False)


def leftovers(marker: Path) -> list[str]:
    """Processes of a finished run still alive: workers (TMPDIR in their environment), sandboxes (in argv)."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if str(marker) in " ".join(p.info["cmdline"] or []) or p.environ().get("TMPDIR") == str(marker):
                found.append(f"{p.pid}: {' '.join(p.info['cmdline'] or [])[:120]}")
        except psutil.Error:
            continue
    return found


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class ClassRun:
    """A graded class as a test reads it: the course, the grader's output, what was there before."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.course = folder / "graded"
        self.ungraded = folder / "ungraded"
        self.marker = folder / "marker"
        saved = json.loads((folder / "run.json").read_text())
        self.returncode, self.stdout, self.stderr = saved["returncode"], saved["stdout"], saved["stderr"]
        self.submitted_before = saved["submitted"]

    def row(self, student: str) -> str:
        """The summary table's row of a student."""
        return next(line for line in self.stdout.splitlines() if line.startswith(student + " "))

    def failure(self) -> str:
        return f"exit {self.returncode}:\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}"

    def succeeded(self) -> ClassRun:
        """This run, after checking that the grader exited 0."""
        assert self.returncode == 0, self.failure()
        return self


def hand_in_class(ungraded: Path, roster: dict, assignments: list[str], config: str = "") -> None:
    """A new scratch course at `ungraded` with `roster` handed in; a string in the roster is a file that is not
    a notebook (the student's hand-in of the first assignment)."""
    scratch_course(ungraded, assignments)
    if config:
        with open(ungraded / "nbgrader_config.py", "a") as f:
            f.write(config)
    hand_in(ungraded, {s: nbs for s, nbs in roster.items() if not isinstance(nbs, str)})
    for student, text in roster.items():
        if isinstance(text, str):
            (ungraded / "submitted" / student / assignments[0]).mkdir(parents=True)
            (ungraded / "submitted" / student / assignments[0] / f"{assignments[0]}.ipynb").write_text(text)


def grade_with_class_grader(folder: Path, ungraded: Path) -> None:
    """Copy the course `ungraded` to folder/ungraded and folder/graded, and grade the latter."""
    shutil.copytree(ungraded, folder / "ungraded")
    graded = folder / "graded"
    shutil.copytree(ungraded, graded)
    before = digest(graded / "submitted")
    proc = run_autograde(graded, "--jobs", "2", marker=folder / "marker")
    (folder / "run.json").write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout,
                                                 "stderr": proc.stderr, "submitted": before}))


# --- the classes ----------------------------------------------------------------------------------------------

# the Chinese sample of the corpus class: student -> the corpus student whose answers it hands in, in Chinese
ZH_STUDENTS = {"zh_solved": "solved", "zh_wrong": "wrong_1", "zh_stub": "stub"}


def corpus_roster(names: list[str]) -> dict[str, dict[str, nbformat.NotebookNode]]:
    """student -> notebook -> submission: the corpus students of every notebook (tests/corpus.py), and the
    Chinese sample (`ZH_STUDENTS`; the stub in the first notebook only)."""
    roster: dict[str, dict[str, nbformat.NotebookNode]] = {}
    for name in names:
        subs = submissions(name)
        for student, nb in subs.items():
            roster.setdefault(student, {})[name] = nb
        for student, english in ZH_STUDENTS.items():
            if english != "stub" or name == names[0]:
                roster.setdefault(student, {})[name] = edition(subs[english], name)
    return roster


def corpus_ungraded(tmp_path_factory) -> Path:
    """The corpus class handed in, not graded: the class grader and plain nbgrader each grade a copy of it."""
    return shared(tmp_path_factory, "corpus-ungraded",
                  lambda folder: hand_in_class(folder / "course", corpus_roster(NOTEBOOKS), NOTEBOOKS)) / "course"


def corpus_class(tmp_path_factory) -> ClassRun:
    ungraded = corpus_ungraded(tmp_path_factory)
    return ClassRun(shared(tmp_path_factory, "corpus-class", lambda folder: grade_with_class_grader(folder, ungraded)))


def plain_sample(tmp_path_factory) -> Path:
    """A course holding the `PLAIN_SAMPLE` students of the corpus class, graded by plain nbgrader."""
    ungraded = corpus_ungraded(tmp_path_factory)

    def build(folder: Path) -> None:
        course = folder / "course"
        shutil.copytree(ungraded, course)
        for student in (course / "submitted").iterdir():
            if student.name not in PLAIN_SAMPLE:
                shutil.rmtree(student)
        proc = run_nbgrader(course, "autograde", "*", "--create")  # every assignment, one after another
        if proc.returncode != 0:
            raise RuntimeError(f"nbgrader autograde failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")

    return shared(tmp_path_factory, "plain-sample", build) / "course"


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


HIDDEN01 = "graph_grads_hidden"


def _to_markdown(nb) -> None:
    cell = nb.cells[_index(nb, HIDDEN01)]
    nb.cells[_index(nb, HIDDEN01)] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)


# attacks on the grader's cells of notebook 01: name -> how the notebook is edited
STRUCTURAL_EDITS = {
    "cells_test_edited": lambda nb: setattr(nb.cells[_index(nb, HIDDEN01)], "source", "pass"),
    "cells_test_deleted": lambda nb: nb.cells.pop(_index(nb, HIDDEN01)),
    "cells_test_moved_up": lambda nb: nb.cells.insert(_index(nb, "graph_grads"), nb.cells.pop(_index(nb, HIDDEN01))),
    "cells_test_moved_to_end": lambda nb: nb.cells.append(nb.cells.pop(_index(nb, HIDDEN01))),
    "cells_test_made_markdown": _to_markdown,
    "cells_points_raised": lambda nb: nb.cells[_index(nb, HIDDEN01)].metadata.nbgrader.update(points=100),
    "cells_grade_id_renamed": lambda nb: nb.cells[_index(nb, HIDDEN01)].metadata.nbgrader.update(
        grade_id="graph_grads_bonus"),
    "cells_test_metadata_removed": lambda nb: nb.cells[_index(nb, HIDDEN01)].metadata.pop("nbgrader"),
    "cells_test_ungraded": lambda nb: nb.cells[_index(nb, HIDDEN01)].metadata.nbgrader.update(grade=False),
}


def structural_attacks() -> dict[str, nbformat.NotebookNode]:
    """STRUCTURAL_EDITS applied to a notebook solved but for a wrong graph_grads."""
    base = with_answers(solved(NB01), {"graph_grads": WRONG_GRAPH_GRADS})
    out = {}
    for name, edit in STRUCTURAL_EDITS.items():
        nb = copy.deepcopy(base)
        edit(nb)
        out[name] = nb
    return out


def tamper_header(path: Path, key: str) -> str:
    found = re.search(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{path.name}: no '# {key}:' line"
    return found.group(1).strip()


def answer_source(nb, grade_id: str) -> str:
    return nb.cells[_index(nb, grade_id)].source


# a right graph_grads that takes the kernel down (or hangs) when a hidden test calls it at (0, 0): that check
# scores 0, and the later ones run in a fresh kernel
KERNEL_FAILURES = {
    "kernel_dies_in_a_check": ("import os", "os._exit(1)"),
    "kernel_hangs_in_a_check": ("import time", "time.sleep(3600)"),
}


def kernel_failures() -> dict[str, nbformat.NotebookNode]:
    base = solved(NB01)
    right = answer_source(base, "graph_grads")
    out = {}
    for name, (imports, failure) in KERNEL_FAILURES.items():
        wrapped = (f"{imports}\n\n{right}\n\n_right_graph_grads = graph_grads\n\n\ndef graph_grads(w, x):\n"
                   f"    if w == 0 and x == 0:\n        {failure}\n    return _right_graph_grads(w, x)\n")
        out[name] = with_answers(base, {"graph_grads": wrapped})
    return out


def tamper_roster() -> dict:
    """Notebook 01: controls, one attack per tests/tamper/ file (pasted into the untouched student version, so
    an honest grader gives 0), the structural attacks, kernels that fail in a check, and `broken`, a file that
    is not a notebook."""
    subs = {"solved": solved(NB01), "stub": student_nb(NB01),
            "honest_wrong": with_answers(solved(NB01), {"graph_grads": WRONG_GRAPH_GRADS})}
    subs |= {p.stem: with_answers(student_nb(NB01), {"graph_grads": p.read_text(encoding="utf-8")})
             for p in sorted(TAMPER.glob("*.py"))}
    subs |= structural_attacks()
    subs |= kernel_failures()
    roster: dict = {student: {NB01: nb} for student, nb in subs.items()}
    roster["broken"] = "{ not json"
    return roster


def tamper_class(tmp_path_factory) -> ClassRun:
    """Graded with the tamper screen switched off: the sandbox boundary alone must hold."""
    config = (f"\nc.Execute.timeout = {TAMPER_CELL_TIMEOUT_S}  # endless loops in this class\n"
              "c.CheckIntegrity.screen_code = False  # the boundary alone\n")

    def build(folder: Path) -> None:
        hand_in_class(folder / "handed-in", tamper_roster(), [NB01], config)
        grade_with_class_grader(folder, folder / "handed-in")

    return ClassRun(shared(tmp_path_factory, "tamper-class", build))


# --- grading/ deployed elsewhere, graded by plain nbgrader -----------------------------------------------------

SCRATCH = ("__pycache__", "release", "submitted", "autograded", "feedback", "gradebook.db*", "*.log", "grades.csv",
           "autograde-logs", ".autograde-staging")
SERVER_ATTACKS = ("os_exit", "numpy_reads_files", "spawn_process")


def deploy(target: Path) -> Path:
    """grading/ copied as an instructor copies it to a grading server, its release generated there."""
    shutil.copytree(COURSE, target, ignore=shutil.ignore_patterns(*SCRATCH))
    proc = run_nbgrader(target, "generate_assignment", NB01)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed in the copy:\n{proc.stdout}\n{proc.stderr}")
    return target


def bad_hand_ins() -> dict[str, tuple[str, str]]:
    """student -> (file name, text) of hand-ins nbgrader cannot grade as they are."""
    good = nbformat.writes(solved(NB01))
    stripped = solved(NB01)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
    return {
        "truncated": (f"{NB01}.ipynb", good[: len(good) // 2]),
        "renamed": (f"{NB01} (1).ipynb", good),
        "no_metadata": (f"{NB01}.ipynb", nbformat.writes(stripped)),
        "missing": ("notes.txt", "I forgot the notebook"),
    }


class ServerRun:
    """The deployed course after plain `nbgrader autograde` and `generate_feedback`."""

    def __init__(self, folder: Path):
        self.course = folder / "course"
        saved = json.loads((folder / "run.json").read_text())
        self.autograde, self.feedback, self.submitted_before = saved["autograde"], saved["feedback"], saved["submitted"]


def deployed_server(tmp_path_factory) -> ServerRun:
    """A copy of grading/ outside the repository, graded there by plain nbgrader: the solution, attacks on the
    kernel itself (SERVER_ATTACKS), a kernel that dies in one hidden check (a new sandboxed kernel replaces it)
    and the bad hand-ins."""

    def build(folder: Path) -> None:
        course = deploy(folder / "course")
        hands_in = {"solved": solved(NB01), "kernel_dies_in_a_check": kernel_failures()["kernel_dies_in_a_check"]} | {
            attack: with_answers(student_nb(NB01), {"graph_grads": (TAMPER / f"{attack}.py").read_text()})
            for attack in SERVER_ATTACKS}
        hand_in(course, {student: {NB01: nb} for student, nb in hands_in.items()})
        for student, (filename, text) in bad_hand_ins().items():
            (course / "submitted" / student / NB01).mkdir(parents=True)
            (course / "submitted" / student / NB01 / filename).write_text(text, encoding="utf-8")
        before = digest(course / "submitted")
        autograde = run_nbgrader(course, "autograde", NB01, "--create")
        feedback = run_nbgrader(course, "generate_feedback", NB01)
        (folder / "run.json").write_text(json.dumps({
            "autograde": [autograde.returncode, autograde.stdout + autograde.stderr],
            "feedback": [feedback.returncode, feedback.stdout + feedback.stderr], "submitted": before}))

    return ServerRun(shared(tmp_path_factory, "deployed-server", build))
