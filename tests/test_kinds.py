"""Hidden tests differ from the self-checks in values only, never in kinds of input.

An honest student who passes every self-check must not lose points to an input the notebook never showed
them: an integer where the self-check used a float, a float64 tensor, a caller's tensor that already has a
.grad, a probability of exactly 0.5. tests/input_kinds.py runs each source notebook and records the kinds
of input every exercise's test cells call it with; here, every kind a hidden test uses must also appear in
a visible self-check of the same exercise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from conftest import REPO
from input_kinds import record

from grading.course.layout import exercises
from grading.course.paths import notebook_names, source_path

NAMES = notebook_names()


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict]:
    """Each source notebook run once with its exercises recorded, in parallel subprocesses."""

    def run(name: str) -> dict:
        proc = subprocess.run([sys.executable, str(REPO / "tests" / "input_kinds.py"), str(source_path(name))],
                              capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, f"recording {name} failed:\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(NAMES, pool.map(run, NAMES)))


def missing_kinds(exercise_kinds: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """exercise -> the kinds its hidden tests use and none of its visible self-checks does."""
    missing = {name: sorted(set(k.get("hidden", [])) - set(k.get("visible", [])))
               for name, k in exercise_kinds.items()}
    return {name: kinds for name, kinds in missing.items() if kinds}


@pytest.mark.parametrize("name", NAMES)
def test_self_checks_try_every_kind_of_input_the_hidden_tests_use(recorded, name):
    """For each exercise, every kind of input a hidden test uses is tried by a visible self-check too."""
    data = recorded[name]
    assert not data["errors"], f"{name}: test cells fail on the solution, so their kinds mean nothing: {data['errors']}"
    missing = missing_kinds(data["exercises"])
    assert not missing, f"{name}: hidden tests use kinds of input that no self-check of the exercise tries:\n" + "\n".join(
        f"  {exercise}: {', '.join(kinds)}" for exercise, kinds in missing.items()) + (
        "\nName each kind in the exercise text or docstring and add a self-check case of it, or use a kind the "
        "self-check already shows.")


@pytest.mark.parametrize("name", NAMES)
def test_every_exercise_function_is_recorded(recorded, name):
    """Each exercise that is a function was seen by the recorder in both its visible and its hidden tests."""
    nb = nbformat.read(source_path(name), as_version=4)
    functions = [e.name for e in exercises(nb) if nb.cells[e.answer_index].source.lstrip().startswith("def ")]
    seen = recorded[name]["exercises"]
    unseen = [f"{n} ({part})" for n in functions for part in ("visible", "hidden") if not seen.get(n, {}).get(part)]
    assert not unseen, f"{name}: no calls recorded for {unseen}: a test that calls its exercise indirectly?"


def test_a_hidden_kind_missing_from_the_self_check_is_found(tmp_path):
    """The check can fail: a hidden test that passes an int, where the self-check passes floats, is reported."""
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("def double(x):\n    return 2 * x\n")
    answer.metadata["nbgrader"] = {"grade_id": "double", "solution": True, "grade": False}
    visible = nbformat.v4.new_code_cell('"""double: self-check."""\nassert double(1.5) == 3.0\n')
    hidden = nbformat.v4.new_code_cell('"""double: hidden tests."""\n### BEGIN HIDDEN TESTS\nassert double(2) == 4\n'
                                       "### END HIDDEN TESTS\n")
    for cell, gid in ((visible, "double_selfcheck"), (hidden, "double_hidden")):
        cell.metadata["nbgrader"] = {"grade_id": gid, "grade": True, "solution": False, "points": 1}
    nb.cells = [answer, visible, hidden]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    data = record(path)
    assert data["exercises"]["double"] == {"visible": ["x: float"], "hidden": ["x: int"]}, data
    assert missing_kinds(data["exercises"]) == {"double": ["x: int"]}
