"""The Chinese edition 中文版 (grading/authoring/translations.py): every markdown cell translated from the English
it says it translates, notebooks/zh/ in sync, the code the same, and a Chinese hand-in graded like an English
one."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest
from classes import ZH_STUDENTS, corpus_class
from course_contract import EXERCISES, NOTEBOOKS

from grading.authoring.generate import render
from grading.authoring.translations import ZH, edition, load, problems
from grading.class_grading.classroom import gradebook_scores, submissions
from grading.course.paths import STUDENT_DIR
from grading.judging.handin import check

ZH_DIR = STUDENT_DIR / ZH
CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_SPAN = re.compile(r"`[^`\n]+`")


def _english(name: str) -> nbformat.NotebookNode:
    return nbformat.read(STUDENT_DIR / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_markdown_cell_has_a_current_translation(name):
    """Each markdown cell of the English notebook has a Chinese text, written for the English it has now."""
    found = problems(name, _english(name))
    assert not found, "\n".join(found) + "\n(python -m grading translations lists them; translate, then make notebooks)"


def test_a_changed_english_cell_makes_its_translation_stale():
    """The check can fail: an English cell edited after its translation, or one added, is reported."""
    nb = copy.deepcopy(_english(NOTEBOOKS[0]))
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    first.source += "\nOne more sentence."
    nb.cells.append(nbformat.v4.new_markdown_cell("A new cell.", id="new-cell"))
    found = problems(NOTEBOOKS[0], nb)
    assert any(first.id in p and "stale" in p for p in found), found
    assert any("new-cell" in p and "no translation" in p for p in found), found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_translations_are_chinese_and_keep_the_code(name):
    """Every translation is Chinese text and keeps its English cell's code spans (`...`): names, calls and values
    the student must type or recognise are the same in both editions."""
    english = {c.id: c.source for c in _english(name).cells if c.cell_type == "markdown"}
    bad = []
    for cell_id, entry in load(name).items():
        if CJK.search(english[cell_id]) is None and not re.search(r"[A-Za-z]{3}", english[cell_id]):
            continue  # a cell with no words (a formula, a comment) needs none
        if not CJK.search(entry[ZH]):
            bad.append(f"{cell_id}: no Chinese in its translation")
        missing = set(CODE_SPAN.findall(english[cell_id])) - set(CODE_SPAN.findall(entry[ZH]))
        if missing:
            bad.append(f"{cell_id}: the translation lacks the code {sorted(missing)}")
    assert not bad, f"{name}:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chinese_edition_is_in_sync_and_runs_the_same_code(name):
    """notebooks/zh/<nb>.ipynb is the English student notebook with its markdown translated (run `make
    notebooks`): every code cell, graded or not, and every cell's metadata and id, are the English edition's."""
    english = _english(name)
    stored = (ZH_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
    assert stored == render(edition(english, name)), f"notebooks/zh/{name}.ipynb is stale: run `make notebooks`"
    zh = nbformat.reads(stored, as_version=4)
    assert [(c.id, c.cell_type, c.metadata) for c in zh.cells] == [(c.id, c.cell_type, c.metadata) for c in english.cells]
    differ = [c.id for c, e in zip(zh.cells, english.cells) if c.cell_type == "code" and c.source != e.source]
    assert not differ, f"{name}: code cells differ between the editions: {differ}"
    headings = {m.group(1) for c in zh.cells if c.cell_type == "markdown"
                for m in re.finditer(r"^### 练习 \d+ — `(\w+)`", c.source, re.MULTILINE)}
    assert headings == set(EXERCISES[name]), f"{name}: the Chinese exercise headings name {sorted(headings)}"
    rules = [c for c in zh.cells if "](../GRADING.md)" in c.source]
    assert rules, f"{name}: the Chinese edition does not link to the rules page one folder up"


@pytest.mark.e2e
def test_a_chinese_hand_in_is_graded_like_an_english_one(tmp_path, tmp_path_factory):
    """In the same course and gradebook as the English corpus (the corpus class's Chinese sample, ZH_STUDENTS):
    the Chinese solved notebooks earn full marks unflagged and pass the structure check, the Chinese stub earns 0,
    and the first wrong answers of tests/misconceptions/ lose, check by check, exactly the points they lose in
    English (a sample: the first wrong answer of every exercise, in all four notebooks); the Chinese feedback
    page explains the misconceptions in Chinese, the English one does not."""
    run = corpus_class(tmp_path_factory).succeeded()
    for name in NOTEBOOKS:
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(edition(submissions(name)["solved"], name), path)
        assert not check(path, run=False), f"{name}: the Chinese solved notebook fails the structure check"
    scores = gradebook_scores(run.course)
    earned = {k: v for k, v in scores.items() if k[0] == "zh_stub" and v[0]}
    assert not earned, f"the Chinese stub earned points: {earned}"
    assert any(k[0] == "zh_stub" for k in scores), "the Chinese stub was not graded"
    for zh, english in ZH_STUDENTS.items():
        differ = {k[1:]: (v, scores.get((zh, *k[1:]))) for k, v in scores.items()
                  if k[0] == english and (zh != "zh_stub" or k[1] == NOTEBOOKS[0]) and scores.get((zh, *k[1:])) != v}
        assert not differ, f"{zh}: (assignment, check) -> (English, Chinese) score, manual, flag: {differ}"
    row = run.row("zh_solved").split()[1:]
    assert [s for s in row if "/" in s] and all(a == b for a, b in (s.split("/") for s in row if "/" in s)), (
        f"expected full marks for the Chinese solved notebook in every assignment, got {row}")
    assert "flag" not in row, f"the Chinese solved notebook was flagged: {row}"
    feedback = run.course / "feedback"
    page = (feedback / "zh_wrong" / NOTEBOOKS[0] / f"{NOTEBOOKS[0]}.html").read_text(encoding="utf-8")
    assert "隐藏测试" in page and "误区：" in page, "the Chinese feedback page names no check or misconception in Chinese"
    english_page = (feedback / "wrong_1" / NOTEBOOKS[0] / f"{NOTEBOOKS[0]}.html").read_text(encoding="utf-8")
    assert "误区：" not in english_page and "hidden check" in english_page


def test_every_misconception_has_a_chinese_explanation():
    """The feedback page of a Chinese hand-in explains each misconception id in Chinese: none may lack one."""
    from grading.course.misconceptions import GLOSSARY
    from grading.course.misconceptions_zh import GLOSSARY_ZH

    missing = sorted(set(GLOSSARY) - set(GLOSSARY_ZH))
    assert not missing, f"misconception ids without a Chinese text in grading/course/misconceptions_zh.py: {missing}"
    stray = sorted(set(GLOSSARY_ZH) - set(GLOSSARY))
    assert not stray, f"Chinese texts of ids the grader does not use: {stray}"
    assert all(CJK.search(text) for text in GLOSSARY_ZH.values())


def test_the_hand_in_check_speaks_the_notebooks_language():
    """The hand-in check's verdict on a notebook of the Chinese edition is in Chinese, on an English one English."""
    from grading.judging.handin import language_of, report

    zh, en = ZH_DIR / f"{NOTEBOOKS[0]}.ipynb", STUDENT_DIR / f"{NOTEBOOKS[0]}.ipynb"
    assert (language_of(zh), language_of(en)) == ("zh", "en")
    assert "没有发现问题" in report(zh, [], language_of(zh))
    assert "nothing found" in report(en, [], language_of(en))
