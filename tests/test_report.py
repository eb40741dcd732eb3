"""`python -m grading report`: the item analysis of a graded class (issue 14), checked against statistics computed
here independently from the corpus class's gradebook (tests/classes.py)."""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys

import pytest
from classes import ClassRun, corpus_class, digest
from conftest import REPO, source_nb
from course_contract import EXERCISES, NOTEBOOKS
from lab_browser import missing_browser

from grading.class_grading.classroom import gradebook_scores
from grading.course.layout import exercises, nbgrader_meta

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> ClassRun:
    return corpus_class(tmp_path_factory).succeeded()


def _hidden_points(name: str) -> dict[str, tuple[str, float]]:
    """check -> (exercise, points) of a notebook's hidden checks, from its source notebook."""
    return {nbgrader_meta(cell)["grade_id"]: (ex.name, nbgrader_meta(cell)["points"])
            for ex in exercises(source_nb(name)) for cell in ex.tests if nbgrader_meta(cell).get("points", 0) > 0}


def _expected_checks(course) -> dict[tuple[str, str], dict]:
    scores = gradebook_scores(course)  # (student, assignment, check) -> (auto score, manual?, flagged)
    expected = {}
    for name in NOTEBOOKS:
        checks = _hidden_points(name)
        students = sorted({s for s, a, _ in scores if a == name})
        total = {s: sum(scores[s, name, c][0] or 0 for c in checks) for s in students}
        for check, (exercise, points) in checks.items():
            got = {s: scores[s, name, check][0] or 0 for s in students}
            full = [float(got[s] >= points) for s in students]
            rest = [total[s] - got[s] for s in students]
            try:
                r = f"{statistics.correlation(full, rest):.4f}"
            except statistics.StatisticsError:  # constant: everyone (or no one) earned the points
                r = ""
            expected[name, check] = {"exercise": exercise, "points": f"{points:g}",
                                     "students_graded": str(len(students)),
                                     "mean_score": f"{statistics.fmean(got.values()):.4f}",
                                     "share_full": f"{statistics.fmean(full):.4f}", "discrimination": r}
    return expected


@pytest.fixture(scope="module")
def report(corpus, tmp_path_factory):
    """The corpus class's report, in a folder of its own; checks that the course is left as it was."""
    before = digest(corpus.course)
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([sys.executable, "-m", "grading", "report", "--course", str(corpus.course), "--out",
                           str(out)], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert digest(corpus.course) == before, "the report changed something in the course"
    return out


def test_the_report_matches_statistics_computed_independently(corpus, report):
    """checks.csv: pass rates, mean scores and point-biserial discrimination of every hidden check equal what this
    test computes from the gradebook; notes mark the checks everyone or no one passes; students.csv holds every
    student's exercise points in notebook order; the course is left as it was."""
    out = report

    with (out / "checks.csv").open() as f:
        rows = list(csv.DictReader(f))
    expected = _expected_checks(corpus.course)
    got = {(r["assignment"], r["check"]): {k: r[k] for k in expected[next(iter(expected))]} for r in rows}
    assert got.keys() == expected.keys(), f"expected one row per hidden check, missing {expected.keys() - got.keys()}"
    wrong = {k: (got[k], expected[k]) for k in expected if got[k] != expected[k]}
    assert not wrong, f"checks.csv differs from the independent computation (got, expected): {wrong}"
    for r in rows:
        if r["share_full"] == "1.0000":
            assert r["note"].startswith("too easy"), r
        elif r["share_full"] == "0.0000":
            assert r["note"].startswith("too hard"), r
        elif r["discrimination"] and float(r["discrimination"]) < 0:
            assert r["note"].startswith("discriminates negatively"), r
        else:
            assert r["note"] == "", r

    with (out / "students.csv").open() as f:
        table = list(csv.reader(f))
    columns = [f"{name}/{ex}" for name in NOTEBOOKS for ex in EXERCISES[name]]
    assert table[0] == ["student"] + columns, f"expected one column per exercise in notebook order, got {table[0]}"
    scores = gradebook_scores(corpus.course)
    solved = next(row for row in table if row[0] == "solved")
    full = [f"{sum(p for c, (e, p) in _hidden_points(name).items() if e == ex):g}"
            for name in NOTEBOOKS for ex in EXERCISES[name]]
    assert solved[1:] == full, f"expected the solved student's full points {full}, got {solved[1:]}"
    assert {row[0] for row in table[1:]} == {s for s, _, _ in scores}


@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
def test_the_html_report_opens_offline_with_its_figures(report, browser):
    """report.html in Chromium: no console error, one figure per assignment drawn from the page itself (nothing
    fetched), a screenshot beside it."""
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    errors, fetched = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((report / "report.html").as_uri())
    drawn = page.evaluate("() => [...document.images].filter(i => i.complete && i.naturalWidth > 0).length")
    page.screenshot(path=report / "report.png", full_page=True)
    page.close()
    assert not errors and not fetched, f"expected a page that works offline, got errors {errors}, fetched {fetched}"
    assert drawn == len(NOTEBOOKS), (f"expected one figure per assignment ({len(NOTEBOOKS)}), {drawn} drawn "
                                     f"(screenshot: {report / 'report.png'})")


def test_usage_errors(tmp_path):
    """No gradebook, or an unknown assignment: exit 2 with what to do; nothing written."""
    proc = subprocess.run([sys.executable, "-m", "grading", "report", "--course", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "no gradebook.db" in proc.stderr and "autograde" in proc.stderr, proc.stderr
    assert not (tmp_path / "reports").exists()
