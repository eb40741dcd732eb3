"""Static checks of the generated notebooks and the course layout (no kernel needed)."""

from __future__ import annotations

import importlib.util
import re

import pytest
from conftest import FIRST, REPO, solution_nb, source_nb, student_nb
from corpus import MISCONCEPTIONS, RIGHT_ANSWERS, corpus
from course_contract import EXERCISES, NOTEBOOKS

from grading.authoring.source_checks import check_source
from grading.course.layout import exercises, nbgrader_meta
from grading.course.paths import KERNELSPEC, notebook_names, source_path

LEAKS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def test_course_has_exactly_the_contract_notebooks():
    """grading/source holds the four contract notebooks and nothing else."""
    assert notebook_names() == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_source_passes_metadata_checks(name):
    """Each source notebook passes the generator's own metadata checks."""
    check_source(source_path(name))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_student_version_is_clean(name):
    """Student notebooks: no outputs, no solutions, no hidden tests, stubs in every answer cell."""
    nb = student_nb(name)
    for i, cell in enumerate(nb.cells):
        label = f"{name} cell {i} ({nbgrader_meta(cell).get('grade_id', cell.cell_type)})"
        for marker in LEAKS:
            assert marker not in cell.source, f"{label} leaks {marker!r}"
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{label} has stored outputs"
    for ex in exercises(nb):
        assert "raise NotImplementedError()" in nb.cells[ex.answer_index].source, f"{name}/{ex.name}: no stub"
    assert nb.metadata.get("course", {}).get("generated"), f"{name}: the generated note is missing"


def test_one_pinned_kernelspec():
    """Every source, student and solved notebook names the same pinned kernelspec."""
    for name in NOTEBOOKS:
        for kind, nb in (("source", source_nb(name)), ("student", student_nb(name)), ("solved", solution_nb(name))):
            assert nb.metadata.get("kernelspec") == KERNELSPEC, f"{kind} {name}: kernelspec {nb.metadata.get('kernelspec')}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_exercise_has_visible_and_hidden_tests(name):
    """Each contract exercise: one answer cell, a 0-point visible self-check, hidden tests worth 1 to 3 points."""
    found = {ex.name: ex for ex in exercises(source_nb(name))}
    assert list(found) == EXERCISES[name], f"{name}: exercises {list(found)}, contract says {EXERCISES[name]}"
    for ex in found.values():
        assert ex.visible_tests, f"{name}/{ex.name}: no visible self-check cell"
        assert ex.hidden_tests, f"{name}/{ex.name}: no hidden test cell"
        assert all(nbgrader_meta(c)["points"] == 0 for c in ex.visible_tests), (
            f"{name}/{ex.name}: visible self-checks carry no points (the hidden tests do)")
        assert all(nbgrader_meta(c)["points"] > 0 for c in ex.hidden_tests), f"{name}/{ex.name}: a hidden cell has 0 points"
        assert 1 <= ex.points <= 3, f"{name}/{ex.name}: {ex.points} points, the course gives 1 to 3"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solved_version_has_outputs(name):
    """The solved notebook carries outputs for nbval to compare."""
    assert any(c.get("outputs") for c in solution_nb(name).cells if c.cell_type == "code")


def readme_points() -> dict[str, float]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`(\d\d_[a-z_]+)`\s*\|[^|]*\|\s*(\d+)\s*\|", text, flags=re.MULTILINE)
    return {name: float(points) for name, points in rows}


def test_readme_states_the_points_per_notebook():
    """The README's points table matches the points in the source notebooks."""
    stated = readme_points()
    actual = {name: sum(ex.points for ex in exercises(source_nb(name))) for name in NOTEBOOKS}
    assert stated == actual, f"README says {stated}, the notebooks give {actual}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_answer_corpus_is_large_enough_and_explained(name):
    """Per exercise at least 3 wrong answers and 1 right answer written differently, each saying what it is."""
    for folder, minimum, header in ((MISCONCEPTIONS, 3, "# Misconception: "), (RIGHT_ANSWERS, 1, "# Right answer: ")):
        found = corpus(folder, name)
        unknown = set(found) - set(EXERCISES[name])
        assert not unknown, f"{folder.name}/{name}: files for unknown exercises: {unknown}"
        short = [f"{ex}: {len(found.get(ex, []))}" for ex in EXERCISES[name] if len(found.get(ex, [])) < minimum]
        assert not short, f"{folder.name}/{name}: fewer than {minimum} answers for " + ", ".join(short)
        for path in (p for paths in found.values() for p in paths):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith(header), f"{path.name}: the first line must start with {header.strip()!r}"


def test_environment_leaves_out_the_slow_iri_checker():
    """rfc3987_syntax is not installed: importing it compiles ~40 grammars, 1.4 s in every nbgrader command,
    grading worker and test worker (benchmarks/startup.py); jsonschema <= 4.24 does not pull it in."""
    found = importlib.util.find_spec("rfc3987_syntax")
    assert found is None, (f"rfc3987_syntax is installed ({found.origin}): every process importing nbformat pays "
                           "~1.4 s for it. Keep jsonschema pinned below 4.25 in requirements.txt, or uninstall it")


def test_the_files_started_first_exist():
    """tests/conftest.py's FIRST names test files that exist: a renamed one would quietly start last again."""
    missing = [name for name in FIRST if not (REPO / "tests" / name).is_file()]
    assert not missing, f"expected every file in FIRST (tests/conftest.py) to exist, missing: {missing}"


def test_without_chromium_the_browser_tests_say_how_to_install_it(monkeypatch):
    """No Chromium: the reason the browser tests skip with names the package to install (pytest -rs shows it)."""
    import lab_browser

    monkeypatch.setattr(lab_browser, "CHROMIUM", REPO / "no-such-chromium")
    why = lab_browser.missing_browser()
    assert why and "apt-get install chromium" in why, f"expected a skip reason naming the install, got {why!r}"
