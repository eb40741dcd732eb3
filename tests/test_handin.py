"""The students' hand-in check (grading/judging/handin.py): what the grader will hold against a saved notebook,
found before it is handed in, in the grader's words, and the notebook left as it was."""

from __future__ import annotations

import copy
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO

from grading.class_grading.classroom import solved, student_version
from grading.course.layout import HAND_IN_FACTS, nbgrader_meta
from grading.judging import handin, integrity

NB = "01_autograd_basics"


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


def _save(tmp_path, nb, name=f"{NB}.ipynb"):
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _whats(problems) -> list[str]:
    return [p.what for p in problems]


def test_student_notebooks_carry_the_facts_the_check_needs():
    """Every student notebook holds the grader's cell order, the cells it restores and the imports of its checks,
    hidden ones included (the student version no longer has their code)."""
    for name in ("01_autograd_basics", "02_grad_higher_order", "03_autograd_pitfalls", "04_logistic_regression"):
        facts = student_version(name).metadata["course"][HAND_IN_FACTS]
        assert facts["order"] and set(facts["restored"]) <= set(facts["order"]), name
        assert "hand_in_check" in facts["restored"], f"{name}: the hand-in cell itself is not a grader cell"
        assert any("torch" in line for line in facts["grader_imports"]), facts["grader_imports"]


def test_a_solved_notebook_has_nothing_to_report(tmp_path):
    """A complete, honest notebook: the structure and screen checks find nothing (the run is checked below)."""
    assert handin.check(_save(tmp_path, solved(NB)), run=False) == []


def test_edited_moved_and_deleted_grader_cells_are_named_as_the_grader_names_them(tmp_path):
    """An edited self-check, a moved grader cell and a deleted one: the grader's own reasons, with cell numbers."""
    nb = solved(NB)
    check = _index(nb, "graph_grads_selfcheck")
    nb.cells[check].source += "\nprint('my edit')"
    deleted = nb.cells.pop(_index(nb, "nonleaf_grads_hidden"))
    assert deleted is not None
    a, b = _index(nb, "weighted_backward_selfcheck"), _index(nb, "backward_twice_selfcheck")
    nb.cells[a], nb.cells[b] = nb.cells[b], nb.cells[a]
    problems = handin.check(_save(tmp_path, nb), run=False)
    whats = _whats(problems)
    assert any(w.startswith(integrity.edited_reason("graph_grads_selfcheck", check)) for w in whats), whats
    assert integrity.deleted_reason("nonleaf_grads_hidden") in whats, whats
    assert integrity.moved_reason("backward_twice_selfcheck", "weighted_backward_selfcheck", a) in whats, whats
    edited = next(p for p in problems if p.cell == check)
    assert edited.starts.startswith('`"""graph_grads: self-check'), edited.starts
    assert "undo" in edited.todo


def test_a_flagged_line_is_reported_with_cell_and_line(tmp_path):
    """Code the tamper screen flags: the screen's finding with its line, as the grader's banner words it."""
    nb = solved(NB)
    i = _index(nb, "graph_grads")
    nb.cells[i].source = "import subprocess\n\n" + nb.cells[i].source
    problems = handin.check(_save(tmp_path, nb), run=False)
    assert [p.cell for p in problems] == [i], problems
    assert "reaches into the grader's machinery: line 1: imports subprocess" in problems[0].what, problems[0].what


def test_honest_habits_are_not_reported(tmp_path):
    """import sys, prints to stderr, a helper of one's own: nothing to report."""
    nb = solved(NB)
    i = _index(nb, "graph_grads")
    nb.cells[i].source = "import sys\n\nDEBUG = True\n\n\ndef _log(*a):\n    print(*a, file=sys.stderr)\n\n\n" + \
        nb.cells[i].source
    assert handin.check(_save(tmp_path, nb), run=False) == []


@pytest.mark.e2e
def test_a_run_finds_stubs_failing_self_checks_and_broken_cells_and_changes_nothing(tmp_path):
    """One run of a saved notebook with an untouched stub, a wrong answer, a renamed exercise and a scratch cell
    that raises: each is named with its cell; the file is byte for byte what it was."""
    nb = solved(NB)
    stub = student_version(NB)
    nb.cells[_index(nb, "graph_anatomy")] = copy.deepcopy(stub.cells[_index(stub, "graph_anatomy")])
    wrong = _index(nb, "graph_grads")
    nb.cells[wrong].source = "def graph_grads(w, x):\n    return (0.0, 0.0)\n"
    renamed = _index(nb, "nonleaf_grads")
    nb.cells[renamed].source = nb.cells[renamed].source.replace("def nonleaf_grads(", "def nonleaf_gradients(")
    nb.cells.insert(wrong + 1, nbformat.v4.new_code_cell("1 / 0  # scratch"))
    path = _save(tmp_path, nb)
    before = path.read_bytes()
    problems = handin.check(path)
    assert path.read_bytes() == before, "the hand-in check changed the notebook"
    text = handin.report(path, problems)
    by_cell = {p.cell: p.what for p in problems}
    saved = nbformat.read(path, as_version=4)
    assert by_cell[_index(saved, "graph_anatomy")] == "answer 'graph_anatomy' is still the stub"
    assert by_cell[wrong + 1].startswith("the cell raises ZeroDivisionError"), text
    assert by_cell[_index(saved, "graph_grads_selfcheck")].startswith(
        "check 'graph_grads_selfcheck' fails: AssertionError"), text
    assert by_cell[_index(saved, "nonleaf_grads_selfcheck")].startswith(
        "check 'nonleaf_grads_selfcheck' fails: NameError"), text
    assert by_cell[_index(saved, "nonleaf_grads")] == ("answer cell 'nonleaf_grads' does not define `nonleaf_grads`: "
                                                       "the grader's checks call it by that name"), text
    assert by_cell[_index(saved, "graph_anatomy_selfcheck")].startswith(
        "check 'graph_anatomy_selfcheck' fails: NotImplementedError"), text
    assert "write the answer above first" in text
    cells = sorted(by_cell)
    assert all(p.cell is not None for p in problems) and cells == sorted(cells), text
    assert "what to do:" in text


def test_bad_files_get_a_message_and_stay_untouched(tmp_path):
    """Not JSON, or a notebook without the course's facts: one problem saying what is wrong and what to do."""
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    problems = handin.check(broken)
    assert len(problems) == 1 and problems[0].what.startswith("cannot read broken.ipynb"), problems
    assert "Revert" in problems[0].todo
    assert broken.read_text() == '{"cells": ['
    bare = copy.deepcopy(solved(NB))
    del bare.metadata["course"][HAND_IN_FACTS]
    problems = handin.check(_save(tmp_path, bare, "bare.ipynb"), run=False)
    assert len(problems) == 1 and "no hand-in facts" in problems[0].what, problems


def test_the_command_exits_1_with_a_report_and_0_without(tmp_path, capsys):
    """python -m grading handin: the report on stdout; exit 1 when something was found, 0 when nothing was."""
    good = _save(tmp_path, solved(NB), "good.ipynb")
    proc = subprocess.run([sys.executable, "-m", "grading", "handin", "--no-run", str(good)], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "nothing found" in proc.stdout, proc.stdout + proc.stderr
    nb = solved(NB)
    nb.cells[_index(nb, "graph_grads")].source = "import subprocess\n" + nb.cells[_index(nb, "graph_grads")].source
    bad = _save(tmp_path, nb, "bad.ipynb")
    assert handin.main(["--no-run", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "good.ipynb: nothing found" in out and "imports subprocess" in out, out


def test_the_hand_in_cell_does_nothing_outside_jupyterlab(capsys, monkeypatch):
    """Run by the grader, nbval or generation (no JPY_SESSION_NAME), the cell only says so."""
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    source = student_version(NB).cells[-1].source
    exec(compile(source, "<hand-in>", "exec"), {})  # noqa: S102 (the course's own cell)
    assert "does nothing" in capsys.readouterr().out


def test_answers_left_as_stubs_are_found_without_a_run(tmp_path):
    """An untouched stub, and an answer that kept the stub's raise under new code, are named from the file alone."""
    nb = solved(NB)
    stub = student_version(NB)
    i, j = _index(nb, "graph_anatomy"), _index(nb, "nonleaf_grads")
    nb.cells[i] = copy.deepcopy(stub.cells[i])
    nb.cells[j].source += "\n    raise NotImplementedError()\n"
    problems = {p.cell: p.what for p in handin.check(_save(tmp_path, nb), run=False)}
    assert problems == {i: "answer 'graph_anatomy' is still the stub",
                        j: "answer 'nonleaf_grads' still contains the stub's `raise NotImplementedError()`"}, problems
