"""The Chinese edition 中文版 (grading/course/translations.py): every markdown cell translated from the English
it says it translates, notebooks/zh/ in sync, the code the same, and a Chinese hand-in graded like an English
one."""

from __future__ import annotations

import copy
import re
import shutil

import nbformat
import pytest
from classes import ZH_STUDENTS, corpus_class
from course_contract import EXERCISES, NOTEBOOKS

from grading.authoring.generate import render
from grading.class_grading.classroom import gradebook_scores, submissions
from grading.course.layout import is_answer, is_test, nbgrader_meta, restored_by_grader
from grading.course.paths import STUDENT_DIR
from grading.course.translations import STUBS, ZH, edition, load, problems, same_code
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
    """Every translation is Chinese text, and a markdown translation keeps its English cell's code spans (`...`):
    names, calls and values the student must type or recognise are the same in both editions."""
    english = {c.id: c.source for c in _english(name).cells if c.cell_type == "markdown"}
    bad = []
    for cell_id, entry in load(name).items():
        if cell_id not in english:
            if not CJK.search(entry[ZH]):  # a code cell: same_code holds the rest
                bad.append(f"{cell_id}: no Chinese in its translation")
            continue
        if CJK.search(english[cell_id]) is None and not re.search(r"[A-Za-z]{3}", english[cell_id]):
            continue  # a cell with no words (a formula, a comment) needs none
        if not CJK.search(entry[ZH]):
            bad.append(f"{cell_id}: no Chinese in its translation")
        missing = set(CODE_SPAN.findall(english[cell_id])) - set(CODE_SPAN.findall(entry[ZH]))
        if missing:
            bad.append(f"{cell_id}: the translation lacks the code {sorted(missing)}")
    assert not bad, f"{name}:\n" + "\n".join(bad)


def _without_checksum(cell: nbformat.NotebookNode) -> dict:
    metadata = copy.deepcopy(cell.metadata)
    metadata.get("nbgrader", {}).pop("checksum", None)
    return metadata


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chinese_edition_is_in_sync_and_runs_the_same_code(name):
    """notebooks/zh/<nb>.ipynb is the English student notebook with its cells translated (run `make notebooks`):
    every code cell runs the English cell's code (comments and message text aside), every self-check speaks
    Chinese, each cell keeps its id and metadata, and nbgrader's checksum of each cell is that of its Chinese text
    (so Validate and the hand-in check see an unedited notebook)."""
    from nbgrader.utils import compute_checksum

    english = _english(name)
    stored = (ZH_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
    assert stored == render(edition(english, name)), f"notebooks/zh/{name}.ipynb is stale: run `make notebooks`"
    zh = nbformat.reads(stored, as_version=4)
    assert [(c.id, c.cell_type, _without_checksum(c)) for c in zh.cells] == [
        (c.id, c.cell_type, _without_checksum(c)) for c in english.cells]
    differ = [f"{c.id}: {why}" for c, e in zip(zh.cells, english.cells)
              if c.cell_type == "code" and (why := same_code(e.source, c.source))]
    assert not differ, f"{name}: code cells run other code in the two editions:\n" + "\n".join(differ)
    checks = [c for c in zh.cells if is_test(c) and nbgrader_meta(c)["grade_id"].endswith("_selfcheck")]
    assert len(checks) == len(EXERCISES[name]) and all(CJK.search(c.source) for c in checks), (
        f"{name}: expected {len(EXERCISES[name])} self-checks written in Chinese, found {len(checks)}")
    wrong = [c.id for c in zh.cells if "checksum" in nbgrader_meta(c) and nbgrader_meta(c)["checksum"] != compute_checksum(c)]
    assert not wrong, f"{name}: nbgrader's checksum does not match the Chinese text of cells {wrong}"
    stubs = [c for c in zh.cells if is_answer(c)]
    assert stubs and all(line in c.source for c in stubs for line in STUBS[ZH].splitlines()), (
        f"{name}: an answer stub is not the Chinese stub")
    headings = {m.group(1) for c in zh.cells if c.cell_type == "markdown"
                for m in re.finditer(r"^### 练习 \d+ — `(\w+)`", c.source, re.MULTILINE)}
    assert headings == set(EXERCISES[name]), f"{name}: the Chinese exercise headings name {sorted(headings)}"
    rules = [c for c in zh.cells if "](GRADING.md)" in c.source]
    assert rules, f"{name}: the Chinese edition does not link to its rules page, notebooks/zh/GRADING.md"


def test_the_rules_page_is_translated_and_in_sync():
    """notebooks/zh/GRADING.md is the current Chinese of the rules page: written for the English it has now, with the
    same headings and table rows and every code span (check names, points) of the English."""
    from grading.authoring.generate import rules_page
    from grading.course.paths import RULES
    from grading.course.translations import rules_page as translated

    text, problem = translated(ZH)
    assert problem is None, problem + " (translate it, then make notebooks)"
    assert (ZH_DIR / "GRADING.md").read_text(encoding="utf-8") == rules_page(ZH), "run `make notebooks`"
    english = RULES.read_text(encoding="utf-8")
    shape = [(len(re.findall(r"^#+ ", t, re.MULTILINE)), len(re.findall(r"^\|", t, re.MULTILINE))) for t in (english, text)]
    assert shape[0] == shape[1], f"(headings, table rows) English {shape[0]}, Chinese {shape[1]}"
    missing = set(CODE_SPAN.findall(english)) - set(CODE_SPAN.findall(text))
    assert not missing, f"the Chinese rules page lacks the code {sorted(missing)}"
    assert CJK.search(text)


def test_a_translation_may_reword_messages_but_not_change_the_code():
    """same_code can fail: the Chinese self-check with another tolerance, another interpolated value, or a
    statement more is reported; comments and reworded, reordered messages are not."""
    name = NOTEBOOKS[0]
    english = {c.id: c.source for c in _english(name).cells}
    cell_id = next(i for i in english if i.endswith("_selfcheck"))
    zh = load(name)[cell_id][ZH]
    assert same_code(english[cell_id], zh) is None
    assert same_code(english[cell_id], "# 一行注释\n" + zh) is None
    assert "1e-5" in zh and same_code(english[cell_id], zh.replace("1e-5", "1e-1")) is not None
    assert "{got}" in zh and same_code(english[cell_id], zh.replace("{got}", "{expected}", 1)) is not None
    assert same_code(english[cell_id], zh + "\ngraph_grads = None\n") is not None
    assert same_code("assert x, f'got {x} for {y}'", "assert x, f'{y} 得到 {x}'") is None
    hint = 'why = ": no graph" if "second time" in str(err) else ""'
    assert same_code(hint, 'why = "：没有计算图" if "second time" in str(err) else ""') is None
    assert same_code(hint, 'why = "：没有计算图" if "第二次" in str(err) else ""') is not None  # a condition is code


def test_the_grader_takes_a_chinese_grader_cell_as_unedited(tmp_path):
    """CheckIntegrity (the grader's structure check) puts the English grader cells back in a Chinese hand-in
    without a flag, and flags a Chinese self-check whose code was changed, as it does an English one."""
    from traitlets.config import Config

    from grading.judging.integrity import CheckIntegrity
    from grading.judging.sandbox import FLAGS_KEY

    name = NOTEBOOKS[0]
    (tmp_path / "release" / name).mkdir(parents=True)
    shutil.copy(STUDENT_DIR / f"{name}.ipynb", tmp_path / "release" / name)
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    resources = {"nbgrader": {"assignment": name, "notebook": name, "student": "zh_student"}}
    zh = nbformat.read(ZH_DIR / f"{name}.ipynb", as_version=4)
    graded, _ = CheckIntegrity(config=config).preprocess(copy.deepcopy(zh), copy.deepcopy(resources))
    assert not graded.metadata.get(FLAGS_KEY), f"a Chinese hand-in was flagged: {graded.metadata[FLAGS_KEY]}"
    english = {c.id: c.source for c in _english(name).cells}
    restored = [c for c in graded.cells if restored_by_grader(c) and c.cell_type == "code"]
    assert restored and all(c.source == english[c.id] for c in restored), "the English grader cells were not put back"
    check = next(c for c in zh.cells if nbgrader_meta(c).get("grade_id", "").endswith("_selfcheck"))
    check.source = check.source.replace("1e-5", "1e-1")
    graded, _ = CheckIntegrity(config=config).preprocess(zh, resources)
    reasons = [f["reason"] for f in graded.metadata.get(FLAGS_KEY, [])]
    assert any("was edited" in r for r in reasons), f"an edited Chinese self-check was not flagged: {reasons}"


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
    """The hand-in check's verdict and findings on a notebook of the Chinese edition are in Chinese, on an English
    one English; both find the same things (here: every answer still the stub, and nothing else)."""
    from grading.judging.handin import language_of, report

    zh, en = ZH_DIR / f"{NOTEBOOKS[0]}.ipynb", STUDENT_DIR / f"{NOTEBOOKS[0]}.ipynb"
    assert (language_of(zh), language_of(en)) == ("zh", "en")
    assert "没有发现问题" in report(zh, [], language_of(zh))
    assert "nothing found" in report(en, [], language_of(en))
    found_zh, found_en = check(zh, run=False), check(en, run=False)
    assert [p.cell for p in found_zh] == [p.cell for p in found_en], (found_zh, found_en)
    assert len(found_zh) == len(EXERCISES[NOTEBOOKS[0]]) and all("still the stub" in p.what for p in found_zh)
    said = report(zh, found_zh, "zh")
    assert said.count("还是桩代码") == len(found_zh) and "what to do" not in said and "怎么办" in said, said
