"""The student's JupyterLab: `make lab` serves the course (checked over HTTP, no browser needed), and in Chromium
each notebook opens clean, Run All and Validate catch the stubs, and the answers typed in the editor pass.

One server for the module (a copy of notebooks/, tests/lab_browser.py); screenshots of every step go to the
folder each failure message names. Without Chromium or Playwright the browser test is skipped with how to
install them; `.ci/run` installs both, so the skip never hides a break in CI."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import REPO, solution_nb, student_nb
from course_contract import EXERCISES, NOTEBOOKS
from lab_browser import (
    Lab,
    get,
    missing_browser,
    open_next,
    open_notebook,
    raises_exception_cells,
    run_all,
    running_lab,
    save,
    type_answer,
    validate,
)
from lab_browser import cells as page_cells

from grading.course.layout import exercises
from grading.judging.handin import check

pytestmark = pytest.mark.e2e
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(REPO, tmp_path_factory.mktemp("lab")) as lab:
        yield lab


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-screenshots")


@pytest.fixture(scope="module")
def page(browser):
    """One JupyterLab page for the four notebooks, opened one after another as a student does (open_next)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_make_lab_serves_the_course(lab: Lab):
    """The server started by `make lab` lists the four student notebooks, loads the nbgrader extension and serves the
    course's JupyterLab settings (no news question, no update check)."""
    listing = json.loads(get(lab, "/api/contents"))
    names = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert names == [f"{n}.ipynb" for n in NOTEBOOKS], f"expected the four student notebooks, the server lists {names}"
    assert "@jupyter/nbgrader" in get(lab, "/lab"), "the nbgrader JupyterLab extension is not in the page's extensions"
    served = json.loads(get(lab, f"/lab/api/settings/{NOTIFICATION}"))
    defaults = {key: served["schema"]["properties"][key]["default"] for key in ("fetchNews", "checkForUpdates")}
    expected = {"fetchNews": "false", "checkForUpdates": False}
    assert defaults == expected, (f"expected the course's first-run settings {expected} (lab-settings/overrides.json, "
                                  f"installed by postBuild), got {defaults}: a news popup over the first notebook")


def _title(nb) -> str:
    """The notebook's title as rendered: the first line of its first cell, without markdown."""
    return nb.cells[0].source.splitlines()[0].lstrip("# ").replace("`", "")


def _first_selfcheck(nb) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_selfcheck"))


@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_student_works_through_the_notebook(name, lab, page, shots):
    """The student version opens clean; Run All stops at the first stub's self-check, and Validate names it; then
    every answer typed in the editor and saved: Run All reaches the end with only the errors shown on purpose,
    the hand-in cell finds nothing, 01 draws its graph and 04 its figures, Validate reports success, the saved file checks."""
    nb, where = student_nb(name), f"(screenshots in {shots})"
    expected_errors = raises_exception_cells(nb)

    open_next(page, lab, f"{name}.ipynb", len(nb.cells))
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
    page.screenshot(path=shots / f"{name}-2-run-all-stubs.png")
    cells, stop = page_cells(page), _first_selfcheck(nb)
    errors = {i for i, c in enumerate(cells) if c["errors"]}
    expected = {i for i in expected_errors if i < stop} | {stop}
    assert errors == expected, (f"{name}: Run All should show errors in the raises-exception cells and stop at the "
                                f"first self-check (cell {stop}): expected errors in {sorted(expected)}, got "
                                f"{sorted(errors)} {where}")
    ran_after = [i for i, c in enumerate(cells[stop + 1:], stop + 1) if re.fullmatch(r"\[\d+\]:", c["prompt"])]
    assert not ran_after, f"{name}: Run All should stop at cell {stop}, yet cells {ran_after} ran {where}"

    dialog = validate(page)
    page.screenshot(path=shots / f"{name}-3-validate-stubs.png")
    failing = nb.cells[stop].source.splitlines()[0]
    assert "The following cell failed" in dialog and failing in dialog, (
        f"{name}: expected Validate's dialog to name the failing self-check {failing!r}, got {dialog[:500]!r} {where}")
    page.keyboard.press("Escape")

    solution = solution_nb(name)
    answers = {ex.name: solution.cells[ex.answer_index].source for ex in exercises(solution)}
    for ex in exercises(nb):
        type_answer(page, ex.answer_index, answers[ex.name])
    save(page)
    page.screenshot(path=shots / f"{name}-4-answered.png")
    run_all(page)
    page.screenshot(path=shots / f"{name}-5-run-all-solved.png")
    cells = page_cells(page)
    errors = {i for i, c in enumerate(cells) if c["errors"]}
    assert errors <= expected_errors, (
        f"{name} answered: expected errors only in the raises-exception cells {sorted(expected_errors)}, got errors "
        f"in {sorted(errors)}: {[cells[i]['errors'][0][:300] for i in sorted(errors - expected_errors)]} {where}")
    assert re.fullmatch(r"\[\d+\]:", cells[-1]["prompt"]), (
        f"{name} answered: expected Run All to reach the last cell, its prompt is {cells[-1]['prompt']!r} {where}")
    verdict = cells[-1]["text"]
    assert "nothing found" in verdict, (
        f"{name} answered: expected the hand-in cell to find nothing, it says {verdict[:1500]!r} {where}")
    if name == "04_logistic_regression":
        assert sum(c["images"] for c in cells), f"{name}: expected the figures drawn (image outputs), got none {where}"
    for i in (i for i, c in enumerate(nb.cells) if "graph-picture" in c.metadata.get("tags", [])):
        assert cells[i]["drawn"], f"{name}: expected the graph picture of cell {i} drawn, got {cells[i]} {where}"
    if name == "01_autograd_basics":
        assert any("graph-picture" in c.metadata.get("tags", []) for c in nb.cells), f"{name}: no graph picture"

    dialog = validate(page)
    page.screenshot(path=shots / f"{name}-6-validate-solved.png")
    assert "Success" in dialog, f"{name} answered: expected Validate to report success, got {dialog[:500]!r} {where}"
    page.keyboard.press("Escape")
    save(page)
    problems = check(lab.notebooks / f"{name}.ipynb", run=False)
    assert not problems, f"{name} answered: expected the saved notebook to pass the structure check, got {problems}"


def test_make_lab_opens_the_chinese_edition_in_chinese(tmp_path_factory, browser):
    """`make lab EDITION=zh`: JupyterLab's own menus in Chinese (the zh-CN language pack); the Chinese notebook
    opens with its Chinese headings and no error, Run All stops at the first stub's self-check with the stub's
    Chinese message, and nbgrader's Validate (验证) passes the Chinese notebook with every answer filled in."""
    from grading.class_grading.classroom import solved
    from grading.course.translations import edition

    name = NOTEBOOKS[0]
    nb = student_nb(name)
    shots = tmp_path_factory.mktemp("browser-screenshots-zh")
    with running_lab(REPO, tmp_path_factory.mktemp("lab-zh"), edition="zh") as zh_lab:
        nbformat.write(edition(solved(name), name), zh_lab.notebooks / "zh" / "answered.ipynb")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            open_notebook(page, zh_lab, f"zh/{name}.ipynb", len(nb.cells))
            page.screenshot(path=shots / "zh-1-opened.png")
            menus = page.eval_on_selector_all(".lm-MenuBar-itemLabel", "els => els.map(e => e.textContent)")
            assert "文件" in menus, f"expected JupyterLab's menus in Chinese (文件 for File), got {menus}"
            cells = page_cells(page)
            headings = [h for c in cells for h in c["headings"]]
            assert any(h.startswith("练习 1 — ") for h in headings), f"expected Chinese exercise headings, got {headings}"
            assert not any(c["errors"] for c in cells), "expected no error output before any cell ran"
            run_all(page, ("运行", "运行所有单元格"))   # Run > Run All Cells, in the Chinese interface
            page.screenshot(path=shots / "zh-2-run-all.png")
            stop = _first_selfcheck(nb)
            errors = {i for i, c in enumerate(page_cells(page)) if c["errors"]}
            assert max(errors) == stop, f"expected Run All to stop at the first self-check, cell {stop}: {errors}"
            said = " ".join(page_cells(page)[stop]["errors"])
            assert "还没有作答" in said, f"expected the stub's Chinese message where Run All stopped, got {said[-300:]!r}"
            open_notebook(page, zh_lab, "zh/answered.ipynb", len(nb.cells))
            page.click('.jp-NotebookPanel-toolbar .jp-Toolbar-item:has-text("Validate"), '
                       '.jp-NotebookPanel-toolbar .jp-Toolbar-item:has-text("验证")')
            dialog = page.wait_for_selector(".jp-Dialog", timeout=300_000).text_content() or ""
            page.screenshot(path=shots / "zh-3-validate-answered.png")
            assert "Success" in dialog, f"expected Validate to pass the answered Chinese notebook, got {dialog[:500]!r}"
        finally:
            context.close()

