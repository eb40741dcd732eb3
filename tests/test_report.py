"""`python -m grading report`: the item analysis of a graded class (issue 14), checked against statistics computed
here independently from the corpus class's gradebook (tests/classes.py)."""

from __future__ import annotations

import csv
import html
import re
import shutil
import statistics
import subprocess
import sys

import pytest
from classes import NB01, ClassRun, corpus_class, digest, tamper_class
from conftest import REPO, solution_nb, source_nb
from corpus import MISCONCEPTIONS
from corpus import corpus as answers_of
from course_contract import EXERCISES, NOTEBOOKS
from lab_browser import missing_browser
from nbgrader.api import Gradebook
from test_misconception_ids import diagnosis

from grading.class_grading.classroom import gradebook_scores
from grading.course.layout import exercises, nbgrader_meta
from grading.course.misconceptions import GLOSSARY, OTHER

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


def _expected_misconceptions() -> dict[tuple[str, str, str], set[str]]:
    """(assignment, exercise, id) -> students, from what the corpus says of itself: the student wrong_k holds the
    k-th wrong answer of every exercise, whose `# Diagnosis:` line names the ids; the untouched stub holds no
    misconception (`other`: its functions raise NotImplementedError); solved and right_k students fail nothing;
    the Chinese sample (zh_wrong, zh_stub) fails as the English students whose answers it holds."""
    expected: dict[tuple[str, str, str], set[str]] = {}
    for name in NOTEBOOKS:
        for ex in exercises(solution_nb(name)):
            expected.setdefault((name, ex.name, OTHER), set()).add("stub")
            if name == NOTEBOOKS[0]:  # the Chinese sample's stub (tests/classes.py ZH_STUDENTS)
                expected[(name, ex.name, OTHER)].add("zh_stub")
            for k, path in enumerate(answers_of(MISCONCEPTIONS, name).get(ex.name, []), start=1):
                for named in diagnosis(path.read_text(encoding="utf-8")):
                    expected.setdefault((name, ex.name, named), set()).add(f"wrong_{k}")
                    if k == 1:  # the Chinese sample hands in the first wrong answers too
                        expected[(name, ex.name, named)].add("zh_wrong")
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


def test_misconceptions_match_what_the_corpus_answers_hold(report):
    """misconceptions.csv groups the failed checks of the corpus class by the id their messages name: for every
    exercise exactly the students whose answers hold that misconception (the corpus's `# Diagnosis:` lines); each
    row's count, ids and meaning agree."""
    with (report / "misconceptions.csv").open() as f:
        rows = list(csv.DictReader(f))
    got: dict[tuple[str, str, str], set[str]] = {}
    for r in rows:
        ids = set(r["student_ids"].split())
        assert int(r["students"]) == len(ids) and r["meaning"] == GLOSSARY.get(r["misconception"], ""), r
        got.setdefault((r["assignment"], r["exercise"], r["misconception"]), set()).update(ids)
    expected = _expected_misconceptions()
    wrong = {k: {"report": sorted(got.get(k, ())), "corpus": sorted(expected.get(k, ()))}
             for k in sorted(got.keys() | expected.keys()) if got.get(k) != expected.get(k)}
    assert not wrong, ("misconceptions.csv differs from the corpus's own diagnoses (a check names another id than "
                       f"the answer's `# Diagnosis:` line, or none): {wrong}")


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


def _flagged_rows(page: str) -> list[tuple[str, ...]]:
    """(student, assignment, kind, why) of report.html's "Flagged for review" table."""
    section = page.split("<h2 id='flagged'>", 1)[1].split("<h2", 1)[0]
    return [tuple(html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.DOTALL))
            for row in re.findall(r"<tr>(<td>.*?)</tr>", section, re.DOTALL)]


def test_flags_and_what_cannot_be_read(tmp_path_factory):
    """On the tamper class, one autograded notebook deleted and one unreadable: both said and skipped for
    misconceptions and flags (their scores still count); every submission the gradebook flags is listed with its
    reason, the kernel that died and the one that hung with theirs, and no control student."""
    tamper = tamper_class(tmp_path_factory).succeeded()
    course = tmp_path_factory.mktemp("tamper-report") / "course"
    shutil.copytree(tamper.course, course)
    gone, unreadable = "cells_test_deleted", "os_exit"
    (course / "autograded" / gone / NB01 / f"{NB01}.ipynb").unlink()
    (course / "autograded" / unreadable / NB01 / f"{NB01}.ipynb").write_text("{ not json")
    proc = subprocess.run([sys.executable, "-m", "grading", "report", "--course", str(course)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"report: {gone}/{NB01} skipped for misconceptions and flags: no autograded notebook" in proc.stdout, (
        proc.stdout)
    assert f"report: {unreadable}/{NB01} skipped for misconceptions and flags:" in proc.stdout, proc.stdout
    with (course / "reports" / "students.csv").open() as f:
        listed = {row[0] for row in csv.reader(f)}
    assert {gone, unreadable} <= listed, f"the skipped notebooks' scores should still count, students.csv: {listed}"

    flagged = _flagged_rows((course / "reports" / "report.html").read_text(encoding="utf-8"))
    students = {row[0] for row in flagged}
    in_gradebook = {s for (s, _, _), (_, _, flag) in gradebook_scores(course).items() if flag}
    assert in_gradebook - {gone, unreadable} <= students, f"flagged in the gradebook, not in the report: {in_gradebook - students}"
    assert not students & {"solved", "stub", "honest_wrong"}, f"a control student is listed as flagged: {flagged}"
    kinds = {row[0]: row[2] for row in flagged}
    assert kinds.get("kernel_dies_in_a_check") == "crash" and kinds.get("kernel_hangs_in_a_check") == "timeout", flagged
    assert all(row[3] for row in flagged), f"a flag without its reason: {flagged}"


def test_autograde_prints_the_top_misconceptions_and_the_report(corpus):
    """After its summary, the corpus class's grading printed the three misconceptions held by most students of
    an exercise (counted here from the corpus's own diagnoses) and the path of the report it wrote."""
    page = corpus.course / "reports" / "report.html"
    head = f"most common misconceptions (report: {page}):\n"
    assert head in corpus.stdout and page.is_file(), f"expected {head!r} and the page:\n{corpus.stdout[-3000:]}"
    expected = {k: len(v) for k, v in _expected_misconceptions().items() if k[2] != OTHER}
    third = sorted(expected.values(), reverse=True)[2]
    printed = corpus.stdout.split(head, 1)[1].splitlines()[:3]
    for line in printed:
        found = re.match(r"\s*(\d+) students\s+(\w+)/(\w+)\s+(\w+): (.+)$", line)
        assert found, f"expected `N students ASSIGNMENT/EXERCISE ID: meaning`, got {line!r}"
        count, key = int(found[1]), (found[2], found[3], found[4])
        assert expected.get(key) == count >= third and found[5] == GLOSSARY[key[2]], (
            f"{line!r}: the corpus holds {key} {expected.get(key)} times; the third most common holds it {third} times")


def test_an_empty_gradebook_gives_an_empty_report(tmp_path):
    """A course whose gradebook holds no submission: every assignment is said to be skipped, and the report's
    files are still written, with their headers and no rows."""
    shutil.copytree(REPO / "grading" / "source", tmp_path / "source")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}"):
        pass
    proc = subprocess.run([sys.executable, "-m", "grading", "report", "--course", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in NOTEBOOKS:
        assert f"report: {name} skipped: no graded submission in the gradebook" in proc.stdout, proc.stdout
    for table in ("checks.csv", "misconceptions.csv", "students.csv"):
        assert len((tmp_path / "reports" / table).read_text().splitlines()) == 1, f"{table}: expected its header only"
    assert (tmp_path / "reports" / "canvas.csv").read_text().splitlines() == [
        "Student,ID,SIS User ID,SIS Login ID,Section", "Points Possible,,,,"], "canvas.csv: expected its two header rows"
    assert len((tmp_path / "reports" / "moodle.csv").read_text().splitlines()) == 1, "moodle.csv: expected its header"
    assert "None." in (tmp_path / "reports" / "report.html").read_text()
