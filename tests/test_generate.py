"""`make notebooks`: a broken source stops it with a message naming the notebook and cell, writing
nothing; a good one is generated, with outputs that do not depend on the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from grading.authoring.generate import _stable_outputs, main
from grading.course.paths import COURSE


def _cell(kind, source, **nbgrader):
    cell = {"cell_type": kind, "id": f"c{abs(hash(source)) % 10**8}", "metadata": {}, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    if nbgrader:
        cell["metadata"]["nbgrader"] = {"schema_version": 3, "locked": False, "solution": False, "grade": False,
                                        "task": False, **nbgrader}
    return cell


def _notebook(cells):
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                        "name": "python3"}, "language_info": {"name": "python"}}}


def _good_cells(answer_body="    return 2 * x"):
    return [
        _cell("markdown", "# A tiny notebook"),
        _cell("code", f"def double(x):\n    ### BEGIN SOLUTION\n{answer_body}\n    ### END SOLUTION",
              grade_id="double", solution=True),
        _cell("code", '"""double: doubles 2."""\n### BEGIN HIDDEN TESTS\nassert double(2) == 4, "expected 4"\n'
              "### END HIDDEN TESTS", grade_id="double_hidden", grade=True, locked=True, points=1),
    ]


def _course(tmp_path: Path, notebooks: dict[str, list]) -> Path:
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(COURSE / "nbgrader_config.py", course)
    for name, cells in notebooks.items():
        (course / "source" / name).mkdir()
        (course / "source" / name / f"{name}.ipynb").write_text(json.dumps(_notebook(cells)))
    return course


def _run(tmp_path, notebooks, capsys):
    course, out = _course(tmp_path, notebooks), tmp_path / "out"
    code = main(["--course", str(course), "--out", str(out), "--jobs", "1"])
    return code, capsys.readouterr().err, out


def test_duplicate_grade_id_is_named(tmp_path, capsys):
    """Two cells with one grade_id: exit 1, the message names the notebook, both cells and the id."""
    cells = _good_cells()
    cells.append(_cell("code", '"""again."""\nassert True', grade_id="double_hidden", grade=True, locked=True, points=1))
    code, err, out = _run(tmp_path, {"aa_good": _good_cells(), "bb_dup": cells}, capsys)
    assert code == 1
    assert "bb_dup/bb_dup.ipynb: cell 3 (grade_id 'double_hidden'): duplicate grade_id, already used by cell 2" in err
    assert not out.exists(), "nothing may be written when one notebook is broken"


@pytest.mark.parametrize("broken, message", [
    ({"points": None}, "a graded cell needs 'points' >= 0, got None"),
    ({"schema_version": 1}, "schema_version is 1"),
    ({"grade_id": "no spaces allowed"}, "grade_id 'no spaces allowed' is missing"),
])
def test_broken_metadata_is_named(tmp_path, capsys, broken, message):
    """Broken nbgrader metadata: exit 1, the message names the notebook, the cell and the problem."""
    cells = _good_cells()
    cells[2]["metadata"]["nbgrader"].update(broken)
    code, err, out = _run(tmp_path, {"aa_bad": cells}, capsys)
    assert code == 1 and "aa_bad/aa_bad.ipynb: cell 2" in err and message in err, err
    assert not out.exists()


def test_test_cell_ending_with_a_value_is_refused(tmp_path, capsys):
    """A test cell whose last line shows a value would let nbgrader read it as the score: refused, named."""
    cells = _good_cells()
    cells[2]["source"] = '"""double: doubles 2."""\nassert double(2) == 4\ndouble(2)'
    code, err, out = _run(tmp_path, {"aa_bad": cells}, capsys)
    assert code == 1 and "cell 2 (grade_id 'double_hidden')" in err and "read its value as the score" in err, err
    assert not out.exists()


def test_not_json_is_named(tmp_path, capsys):
    """A source notebook that is not JSON: exit 1 naming it."""
    course = _course(tmp_path, {"aa_good": _good_cells()})
    (course / "source" / "zz").mkdir()
    (course / "source" / "zz" / "zz.ipynb").write_text("{ not json")
    code = main(["--course", str(course), "--out", str(tmp_path / "out")])
    assert code == 1 and "zz/zz.ipynb: cannot read the notebook" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_solution_failing_its_tests_is_named(tmp_path, capsys):
    """A solution that fails its own hidden test: exit 1 naming notebook and test cell; nothing written."""
    code, err, out = _run(tmp_path, {"aa_good": _good_cells(), "bb_wrong": _good_cells("    return 3 * x")}, capsys)
    assert code == 1
    assert "source/bb_wrong/bb_wrong.ipynb: cell 2 (grade_id 'double_hidden') failed" in err, err
    assert "AssertionError: expected 4" in err, err
    assert not out.exists()


@pytest.mark.e2e
def test_good_course_is_written(tmp_path, capsys):
    """The same tiny course, correct, generates a student and a solved notebook."""
    code, err, out = _run(tmp_path, {"aa_good": _good_cells()}, capsys)
    assert code == 0, err
    student = json.loads((out / "notebooks" / "aa_good.ipynb").read_text())
    solved = json.loads((out / "solutions" / "aa_good.ipynb").read_text())
    assert "raise NotImplementedError()" in "".join(student["cells"][1]["source"])
    assert "HIDDEN" not in json.dumps(student)
    assert "generated-note" == solved["cells"][0]["id"]


def test_stream_outputs_are_stable():
    """Prints split across messages are merged, and the kernel's pid and install path are masked."""
    out = nbformat.v4.new_output
    outputs = [out("stream", name="stdout", text="a"), out("stream", name="stdout", text="b\n"),
               out("stream", name="stderr", text="/tmp/ipykernel_4242/123.py:7: UserWarning: w\n"),
               out("stream", name="stderr", text="/x/.venv/lib/python3.11/site-packages/torch/f.py:9: W\n"),
               out("stream", name="stdout", text="c\n")]
    got = [(o.name, o.text) for o in _stable_outputs(outputs)]
    assert got == [("stdout", "ab\n"),
                   ("stderr", "/tmp/ipykernel_<pid>/123.py:7: UserWarning: w\n<site-packages>/torch/f.py:9: W\n"),
                   ("stdout", "c\n")]
