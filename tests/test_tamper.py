"""Tamper resistance, end to end: submissions that attack the grader earn nothing and are flagged.

Each file of tests/tamper/ is an answer cell for `graph_grads` in notebook 01 (first lines: `# Tamper: what it
tries`, `# Expect: flagged` when the tamper screen or the sandbox must flag it, `prevented` when the sandbox
stops it and it simply fails). It is pasted into the untouched student notebook, so an honest grader gives it 0
points. Structural attacks on the grader's cells are applied to a notebook that is solved except for a wrong
graph_grads. Everything is graded by real `nbgrader autograde` with the course's configuration.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, student_nb
from corpus import solved, with_answers
from nbgrader.api import Gradebook

from grading.course.layout import nbgrader_meta
from grading.course.paths import COURSE, run_nbgrader

NB = "01_autograd_basics"
TAMPER = REPO / "tests" / "tamper"
WRONG = "def graph_grads(w, x):\n    return (0.0, 0.0)\n"


def header(path: Path, key: str) -> str:
    found = re.search(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{path.name}: no '# {key}:' line"
    return found.group(1).strip()


def _set_answer(nb, exercise: str, source: str):
    return with_answers(nb, {exercise: source})


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


def structural() -> dict[str, tuple[nbformat.NotebookNode, bool]]:
    """Attacks on the grader's cells -> (notebook, whether the graph_grads checks must be flagged as costing)."""
    base = _set_answer(solved(NB), "graph_grads", WRONG)
    out = {}

    def variant(name, edit):
        nb = copy.deepcopy(base)
        edit(nb)
        out[name] = nb

    hidden = "graph_grads_hidden"
    variant("cells_test_edited", lambda nb: setattr(nb.cells[_index(nb, hidden)], "source", "pass"))
    variant("cells_test_deleted", lambda nb: nb.cells.pop(_index(nb, hidden)))
    variant("cells_test_moved_up", lambda nb: nb.cells.insert(_index(nb, "graph_grads"),
                                                              nb.cells.pop(_index(nb, hidden))))
    variant("cells_test_moved_to_end", lambda nb: nb.cells.append(nb.cells.pop(_index(nb, hidden))))

    def to_markdown(nb):
        cell = nb.cells[_index(nb, hidden)]
        nb.cells[_index(nb, hidden)] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)

    variant("cells_test_made_markdown", to_markdown)
    variant("cells_points_raised", lambda nb: nb.cells[_index(nb, hidden)].metadata.nbgrader.update(points=100))
    variant("cells_grade_id_renamed", lambda nb: nb.cells[_index(nb, hidden)].metadata.nbgrader.update(
        grade_id="graph_grads_bonus"))
    variant("cells_test_metadata_removed", lambda nb: nb.cells[_index(nb, hidden)].metadata.pop("nbgrader"))
    variant("cells_test_ungraded", lambda nb: nb.cells[_index(nb, hidden)].metadata.nbgrader.update(grade=False))
    return out


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tamper") / "course"
    root.mkdir()
    # a short cell time limit, so that the infinite loop costs seconds, not minutes
    (root / "nbgrader_config.py").write_text(
        (COURSE / "nbgrader_config.py").read_text(encoding="utf-8") + "\nc.Execute.timeout = 15\n", encoding="utf-8")
    shutil.copytree(COURSE / "source" / NB, root / "source" / NB)
    assert run_nbgrader(root, "generate_assignment", NB).returncode == 0
    subs = {"solved": solved(NB), "stub": student_nb(NB), "honest_wrong": _set_answer(solved(NB), "graph_grads", WRONG)}
    subs |= {p.stem: _set_answer(student_nb(NB), "graph_grads", p.read_text(encoding="utf-8"))
             for p in sorted(TAMPER.glob("*.py"))}
    subs |= structural()
    for student, nb in subs.items():
        folder = root / "submitted" / student / NB
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NB}.ipynb")
    proc = run_nbgrader(root, "autograde", NB, "--create")
    (root / "autograde.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    for student in ("honest_wrong", "os_exit"):
        assert run_nbgrader(root, "generate_feedback", NB, "--student", student).returncode == 0
    return root


def results(root: Path) -> dict[str, tuple[dict[str, float], bool]]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        out = {}
        for student in gb.students:
            sub = gb.find_submission_notebook(NB, NB, student.id)
            out[student.id] = ({g.name: g.score for g in sub.grades}, sub.flagged)
        return out


def test_controls(course):
    """The solved notebook earns full marks unflagged and the stub earns 0, in the tamper course too."""
    res = results(course)
    scores, flagged = res["solved"]
    assert sum(scores.values()) == 13 and not flagged, f"solved: {sum(scores.values())}/13, flagged={flagged}"
    assert sum(res["stub"][0].values()) == 0


@pytest.mark.parametrize("path", sorted(TAMPER.glob("*.py")), ids=lambda p: p.stem)
def test_tampering_answer_cell_earns_nothing(course, path):
    """A tampering answer pasted into the untouched notebook earns 0 points, and is flagged where expected."""
    res = results(course)
    assert path.stem in res, f"{path.stem} was not graded at all; see {course / 'autograde.log'}"
    scores, flagged = res[path.stem]
    earned = {g: s for g, s in scores.items() if s}
    assert not earned, f"{path.stem} ({header(path, 'Tamper')}) earned points: {earned}"
    if header(path, "Expect") == "flagged":
        assert flagged, f"{path.stem} ({header(path, 'Tamper')}) earned nothing but was not flagged for review"


@pytest.mark.parametrize("name", sorted(structural()))
def test_tampering_with_grader_cells_earns_nothing(course, name):
    """Editing, deleting, moving, retyping or relabelling a check does not earn its points, and is flagged."""
    scores, flagged = results(course)[name]
    lost = {g: s for g, s in scores.items() if g.startswith("graph_grads_hidden") and s}
    assert not lost, f"{name}: the wrong graph_grads still earned {lost}"
    assert flagged, f"{name}: not flagged for review"
    assert sum(scores.values()) <= 12, f"{name}: earned {sum(scores.values())} of the 12 points it deserves at most"


def test_nothing_outlives_the_kernel(course):
    """No process a submission started is still running after grading (sleep 1234, the spinning child).

    Every kernel of this course ran in a bwrap whose command line names the course folder; when that bwrap is
    gone, so is its pid namespace and everything in it. (Other tests may be grading in parallel: only this
    course's sandboxes count.)"""
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [p for p in ps if "sleep 1234" in p], "a process started by a submission outlived its kernel"
    left = [p for p in ps if p.startswith("bwrap") and str(course) in p]
    assert not left, "sandboxes of this course are still running:\n" + "\n".join(left)


def test_course_files_untouched(course):
    """A submission could neither overwrite the gradebook nor write next to it."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert len(gb.students) >= 20
    unexpected = {p.name for p in course.iterdir()} - {"nbgrader_config.py", "source", "release", "submitted",
                                                       "autograded", "feedback", "gradebook.db",
                                                       "autograde.log"}
    assert not unexpected, f"files appeared in the course folder: {unexpected}"


def _feedback(root: Path, student: str) -> str:
    return (root / "feedback" / student / NB / f"{NB}.html").read_text(encoding="utf-8")


def test_feedback_shows_hidden_results_not_code(course):
    """The feedback names each hidden check and shows its failure message, but none of its code."""
    html = _feedback(course, "honest_wrong")
    leaked = [line for line in ("BEGIN HIDDEN TESTS", "_rng = random.Random(", "_cases = ") if line in html]
    assert not leaked, f"the feedback shows hidden-test code: {leaked}"
    assert "hidden check &#39;graph_grads_hidden&#39;" in html or "hidden check 'graph_grads_hidden'" in html
    assert "expected 5.0000, got 0.0000" in html, "the feedback lacks the failing check's message"


def test_feedback_explains_a_flag(course):
    """A flagged submission's feedback says it was flagged and why."""
    html = _feedback(course, "os_exit")
    assert "Flagged for review" in html and "imports os" in html


def test_refuses_to_grade_without_a_sandbox(course, tmp_path):
    """With no bwrap on PATH, autograde refuses (and says how to opt out); with the opt-out it grades."""
    import os
    import sys

    root = tmp_path / "course"
    shutil.copytree(course, root, ignore=shutil.ignore_patterns("autograded", "feedback", "submitted"))
    folder = root / "submitted" / "solo" / NB
    folder.mkdir(parents=True)
    nbformat.write(solved(NB), folder / f"{NB}.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "GRADING_ALLOW_UNSANDBOXED"}
    env["PATH"] = str(Path(sys.executable).parent)  # no /usr/bin: no bwrap
    proc = run_nbgrader(root, "autograde", NB, "--student", "solo", env=env)
    assert proc.returncode != 0 and "Refusing to grade" in proc.stdout + proc.stderr, proc.stderr[-2000:]
    assert not (root / "autograded" / "solo").exists()
    proc = run_nbgrader(root, "autograde", NB, "--student", "solo", env=env | {"GRADING_ALLOW_UNSANDBOXED": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    scores, _ = results(root)["solo"]
    assert sum(scores.values()) == 13
