"""Tamper resistance, end to end, with the tamper screen switched off: the boundary alone (hidden tests in the
grader's process, data-only answers from the sandboxed kernel) keeps every attack from earning a point.

Each file of tests/tamper/ is an answer cell for `graph_grads` in notebook 01 (first lines: `# Tamper: what it
tries`, `# Expect: flagged` when the grader flags it even without the screen, because the kernel died or hung,
`fails` when its checks simply fail, and `# Screen: flags` or `passes`, what the screen says of it, checked in
tests/test_screen.py). It is pasted into the untouched student version, so an honest grader gives it 0 points.
Structural attacks on the grader's cells are applied to a notebook that is solved except for a wrong
graph_grads. The class is graded once per session (tests/classes.py) by `python -m grading autograde`, the
pipeline an instructor runs: the course's nbgrader configuration, warm sandboxed kernels, with
`c.CheckIntegrity.screen_code = False`. Plain `nbgrader autograde` runs the same pipeline with a kernel started
per notebook: tests/test_fail_closed.py grades kernel-killing and sandbox-probing attacks that way, in a copy of
grading/ outside the repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from classes import KERNEL_FAILURES, STRUCTURAL_EDITS, TAMPER, ClassRun, leftovers, tamper_class, tamper_header
from nbgrader.api import Gradebook

NB = "01_autograd_basics"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> ClassRun:
    return tamper_class(tmp_path_factory).succeeded()


def results(run: ClassRun) -> dict[str, tuple[dict[str, float], bool]]:
    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}") as gb:
        out = {}
        for student in gb.students:
            sub = gb.find_submission_notebook(NB, NB, student.id)
            out[student.id] = ({g.name: g.score for g in sub.grades}, sub.flagged)
        return out


def test_controls(graded):
    """The solved notebook earns full marks unflagged and the stub earns 0, in the tamper class too."""
    res = results(graded)
    scores, flagged = res["solved"]
    assert sum(scores.values()) == 13 and not flagged, f"solved: {sum(scores.values())}/13, flagged={flagged}"
    assert sum(res["stub"][0].values()) == 0


@pytest.mark.parametrize("path", sorted(TAMPER.glob("*.py")), ids=lambda p: p.stem)
def test_tampering_answer_cell_earns_nothing(graded, path):
    """A tampering answer pasted into the untouched notebook earns 0 points, and is flagged where expected."""
    res = results(graded)
    assert path.stem in res, f"{path.stem} was not graded at all:\n{graded.stdout[-3000:]}"
    scores, flagged = res[path.stem]
    earned = {g: s for g, s in scores.items() if s}
    assert not earned, f"{path.stem} ({tamper_header(path, 'Tamper')}) earned points: {earned}"
    if tamper_header(path, "Expect") == "flagged":
        assert flagged, f"{path.stem} ({tamper_header(path, 'Tamper')}) earned nothing but was not flagged for review"


@pytest.mark.parametrize("name", sorted(STRUCTURAL_EDITS))
def test_tampering_with_grader_cells_earns_nothing(graded, name):
    """Editing, deleting, moving, retyping or relabelling a check does not earn its points, and is flagged."""
    scores, flagged = results(graded)[name]
    lost = {g: s for g, s in scores.items() if g.startswith("graph_grads_hidden") and s}
    assert not lost, f"{name}: the wrong graph_grads still earned {lost}"
    assert flagged, f"{name}: not flagged for review"
    assert sum(scores.values()) <= 12, f"{name}: earned {sum(scores.values())} of the 12 points it deserves at most"


def test_nothing_outlives_the_kernel(graded):
    """No process a submission started is still running after grading (sleep 1234, the spinning child), and
    no worker, warm parent or sandbox of the run is left."""
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [p for p in ps if "sleep 1234" in p], "a process started by a submission outlived its kernel"
    assert not leftovers(graded.marker), leftovers(graded.marker)


def test_course_files_untouched(graded):
    """A submission could neither overwrite the gradebook nor write next to it."""
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gb:
        assert len(gb.students) >= 20
    unexpected = {p.name for p in graded.course.iterdir()} - {"nbgrader_config.py", "source", "release", "submitted",
                                                             "autograded", "feedback", "gradebook.db", "grades.csv",
                                                             "reports"}
    assert not unexpected, f"files appeared in the course folder: {unexpected}"


def _feedback(run: ClassRun, student: str) -> str:
    return (run.course / "feedback" / student / NB / f"{NB}.html").read_text(encoding="utf-8")


def test_feedback_shows_hidden_results_not_code(graded):
    """The feedback names each hidden check and shows its failure message, but none of its code."""
    html = _feedback(graded, "honest_wrong")
    leaked = [line for line in ("BEGIN HIDDEN TESTS", "_rng = random.Random(", "_cases = ") if line in html]
    assert not leaked, f"the feedback shows hidden-test code: {leaked}"
    assert "hidden check &#39;graph_grads_hidden&#39;" in html or "hidden check 'graph_grads_hidden'" in html
    assert "expected 5.0000, got 0.0000" in html, "the feedback lacks the failing check's message"


def test_feedback_explains_a_flag(graded):
    """A flagged submission's feedback says it was flagged and why."""
    html = _feedback(graded, "os_exit")
    assert "Flagged for review" in html and "the kernel died while running cell" in html


def _errors(run: ClassRun, student: str, grade_id: str) -> list[str]:
    nb = nbformat.read(run.course / "autograded" / student / NB / f"{NB}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("student", sorted(KERNEL_FAILURES))
def test_a_kernel_that_fails_in_a_check_costs_that_check_only(graded, student):
    """A right answer that kills or hangs the kernel when one hidden check calls it: that check scores 0 with a
    message saying what happened, the later checks run in a fresh kernel and score, and the notebook is flagged."""
    scores, flagged = results(graded)[student]
    lost = {g: s for g, s in scores.items() if not s and g.endswith("_hidden")}
    assert set(lost) == {"graph_grads_hidden"}, f"{student}: expected to lose graph_grads_hidden only, lost {lost}"
    assert sum(scores.values()) == 12, f"{student}: {sum(scores.values())}/13, expected 12/13"
    assert flagged, f"{student}: not flagged for review"
    why = "died" if "dies" in student else "stopped answering after"
    errors = _errors(graded, student, "graph_grads_hidden")
    assert any(f"the kernel {why}" in e and "`graph_grads(...)`" in e for e in errors), errors


def test_answers_that_are_not_data_fail_the_check_with_a_message(graded):
    """A kernel that answers with a pickle or with text that is not JSON: the check fails, says so, and nothing
    from the answer is unpickled (the pickle would have created a file)."""
    errors = _errors(graded, "garbage_agent", "graph_grads_hidden")
    assert any("KernelAnswerError: the kernel's answer to graph_grads(...)" in e for e in errors), errors
    assert not list(Path("/tmp").glob("pwned-by-a-student*")), "the grader ran code from the kernel's answer"


def test_kernels_run_in_the_sandbox(graded):
    """Student code ran inside the sandbox: the kernel saw a cleared environment, not the grader's (whose
    TMPDIR the test set), so the warm kernels were not started by an unsandboxed kernel manager."""
    nb = nbformat.read(graded.course / "autograded" / "sandbox_probe" / NB / f"{NB}.ipynb", as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "graph_grads")
    seen = "".join(o.get("text", "") for o in answer.outputs if o.output_type == "stream")
    assert "environment seen by the kernel" in seen, f"the probe did not run: {answer.outputs}"
    assert "TMPDIR" not in seen, f"the kernel sees the grader's environment: {seen}"


def test_an_answer_out_of_order_fails_its_call_by_name(graded):
    """A kernel answering each request with the answer to the one before: the checks fail, each naming the request
    (a call, a name looked up) whose answer was out of order, and no stale answer is judged as another's."""
    nb = nbformat.read(graded.course / "autograded" / "answers_out_of_order" / NB / f"{NB}.ipynb", as_version=4)
    messages = [o.get("evalue", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    named = [m for m in messages if m.startswith("the kernel's answer to ") and "answers out of order" in m]
    assert named, f"no check said which request's answer was out of order; the errors were: {messages[:5]}"
