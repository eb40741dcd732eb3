"""The student's flow in a real browser: `make lab` in Chromium; open each notebook, Run All, press Validate."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import REPO, student_nb
from course_contract import EXERCISES, NOTEBOOKS
from lab_browser import CHROMIUM, missing_browser, open_notebook, run_all, running_lab, save, type_answer, validate
from lab_browser import cells as page_cells

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))]


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Screenshots of every step, named in each failure message."""
    return tmp_path_factory.mktemp("browser-screenshots")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(REPO, tmp_path_factory.mktemp("lab")) as lab:
        yield lab


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # here: the module must import without it, to skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _title(nb) -> str:
    """The notebook's title as rendered: the first line of its first cell, without markdown."""
    return nb.cells[0].source.splitlines()[0].lstrip("# ").replace("`", "")


def _first_selfcheck(nb) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_selfcheck"))


def _raises(nb) -> set[int]:
    return {i for i, c in enumerate(nb.cells) if "raises-exception" in c.metadata.get("tags", [])}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_student_notebook_in_the_browser(name, lab, page, shots):
    """The student version opens clean, Run All stops at the first stub's self-check, Validate names that check."""
    nb, where = student_nb(name), f"(screenshots in {shots})"

    open_notebook(page, lab, f"{name}.ipynb", len(nb.cells))
    page.screenshot(path=shots / f"{name}-1-opened.png")
    cells = page_cells(page)
    assert len(cells) == len(nb.cells), f"{name}: expected {len(nb.cells)} cells on the page, got {len(cells)} {where}"
    headings = [h for c in cells for h in c["headings"]]
    assert _title(nb) in headings[:1], f"{name}: expected the title {_title(nb)!r} first, got {headings[:1]} {where}"
    shown = {m.group(1) for h in headings if (m := re.match(r"Exercise \d+ — (\w+)", h))}
    assert shown == set(EXERCISES[name]), f"{name}: expected the exercises {EXERCISES[name]}, got {sorted(shown)} {where}"
    early = [i for i, c in enumerate(cells) if c["errors"]]
    assert not early, f"{name}: expected no error output before any cell ran, got some in cells {early} {where}"

    run_all(page)
    page.screenshot(path=shots / f"{name}-2-run-all.png")
    cells, stop = page_cells(page), _first_selfcheck(nb)
    errors = {i for i, c in enumerate(cells) if c["errors"]}
    expected = {i for i in _raises(nb) if i < stop} | {stop}
    assert errors == expected, (f"{name}: Run All should show errors in the raises-exception cells and stop at the "
                                f"first self-check (cell {stop}): expected errors in {sorted(expected)}, got "
                                f"{sorted(errors)} {where}")
    ran_after = [i for i, c in enumerate(cells[stop + 1:], stop + 1) if re.fullmatch(r"\[\d+\]:", c["prompt"])]
    assert not ran_after, f"{name}: Run All should stop at cell {stop}, yet cells {ran_after} ran {where}"

    dialog = validate(page)
    page.screenshot(path=shots / f"{name}-3-validate.png")
    check = nb.cells[stop].source.splitlines()[0]
    assert "The following cell failed" in dialog and check in dialog, (
        f"{name}: expected Validate's dialog to name the failing self-check {check!r}, got {dialog[:500]!r} {where}")


# one notebook, to keep the suite within its time goal: 04, the one with figures (each solved run costs 25-50 s)
@pytest.mark.parametrize("name", [NOTEBOOKS[-1]])
def test_solved_notebook_in_the_browser(name, lab, page, shots):
    """A solved copy, its first answer typed in the editor: Run All reaches the end, Validate passes, the save checks."""
    from grading.class_grading.classroom import solved
    from grading.course.layout import exercises
    from grading.judging.handin import check

    nb, where = solved(name), f"(screenshots in {shots})"
    first = exercises(nb)[0]
    answer = nb.cells[first.answer_index].source
    nb.cells[first.answer_index].source = student_nb(name).cells[first.answer_index].source  # the student types it
    path = lab.notebooks / "solved" / f"{name}.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)

    open_notebook(page, lab, f"solved/{name}.ipynb", len(nb.cells))
    type_answer(page, first.answer_index, answer)
    save(page)
    page.screenshot(path=shots / f"solved-{name}-1-typed.png")
    run_all(page)
    page.screenshot(path=shots / f"solved-{name}-2-run-all.png")
    cells = page_cells(page)
    errors = {i for i, c in enumerate(cells) if c["errors"]}
    assert errors <= _raises(nb), (f"{name} solved: expected errors only in raises-exception cells "
                                   f"{sorted(_raises(nb))}, got errors in {sorted(errors)}: "
                                   f"{[cells[i]['errors'][0][:300] for i in sorted(errors - _raises(nb))]} {where}")
    assert re.fullmatch(r"\[\d+\]:", cells[-1]["prompt"]), (
        f"{name} solved: expected Run All to reach the last cell, its prompt is {cells[-1]['prompt']!r} {where}")

    if name == "04_logistic_regression":
        images = sum(c["images"] for c in cells)
        assert images, f"{name} solved: expected the figures drawn (image outputs), got none {where}"

    dialog = validate(page)
    page.screenshot(path=shots / f"solved-{name}-3-validate.png")
    assert "Success" in dialog, f"{name} solved: expected Validate to report success, got {dialog[:500]!r} {where}"
    page.keyboard.press("Escape")
    save(page)
    problems = check(path, run=False)
    assert not problems, f"{name} solved: expected the saved notebook to pass the hand-in check, got {problems}"
