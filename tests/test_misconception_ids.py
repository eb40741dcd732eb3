"""Every failure message of every hidden check names a misconception (`[misconception: <id>]`, or `other` on
purpose), every id is in the glossary (grading/course/misconceptions.py), and every wrong answer of the corpus
says which ids its grading names (`# Diagnosis:`, checked against a real grading in tests/test_report.py)."""

from __future__ import annotations

import pytest
from conftest import source_nb
from corpus import MISCONCEPTIONS, corpus
from course_contract import NOTEBOOKS

from grading.course.layout import nbgrader_meta
from grading.course.misconceptions import GLOSSARY, OTHER, failure_messages, ids_used, untagged

DIAGNOSIS = "# Diagnosis: "


def hidden_cells(name: str) -> dict[str, str]:
    """grade_id -> source of the notebook's hidden test cells."""
    return {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb(name).cells
            if c.cell_type == "code" and "### BEGIN HIDDEN TESTS" in c.source}


def diagnosis(text: str) -> list[str]:
    """The ids of a corpus answer's `# Diagnosis:` line (its second line)."""
    lines = text.splitlines()
    if len(lines) < 2 or not lines[1].startswith(DIAGNOSIS):
        return []
    return [i.strip() for i in lines[1][len(DIAGNOSIS):].split(",")]


def test_every_failure_message_of_a_hidden_check_names_a_misconception():
    """Each assert and raised error of each hidden test cell has a message with a misconception tag."""
    missing = [f"{name} {gid} line {line}" for name in NOTEBOOKS for gid, source in hidden_cells(name).items()
               for line in untagged(source)]
    assert not missing, ("expected a `[misconception: <id>]` tag (or `[misconception: other]` on purpose) at the end "
                         f"of every failure message of the hidden checks; without one: {missing}")


def test_the_ids_used_are_the_glossary():
    """The ids the hidden checks name and the glossary's are the same set: no id without a meaning for the report,
    no meaning no check names."""
    used = {i for name in NOTEBOOKS for source in hidden_cells(name).values() for i in ids_used(source)}
    assert used - {OTHER} <= GLOSSARY.keys(), f"ids without a glossary line: {sorted(used - {OTHER} - GLOSSARY.keys())}"
    assert GLOSSARY.keys() <= used, f"glossary ids no hidden check names: {sorted(GLOSSARY.keys() - used)}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_corpus_answer_says_its_diagnosis(name):
    """Line 2 of every wrong answer in tests/misconceptions/ is `# Diagnosis: <id>, ...` with known ids, sorted."""
    bad = {}
    for paths in corpus(MISCONCEPTIONS, name).values():
        for path in paths:
            ids = diagnosis(path.read_text(encoding="utf-8"))
            if not ids or ids != sorted(set(ids)) or set(ids) - GLOSSARY.keys() - {OTHER}:
                bad[path.name] = ids
    assert not bad, f"expected line 2 `{DIAGNOSIS}<id>, ...` (sorted, ids of the glossary or other), got {bad}"


def test_the_scan_finds_a_message_without_a_tag():
    """The scan itself: an assert without a message, one without a tag and an untagged AssertionError are found;
    tagged ones, a `_mc` id, a bare re-raise and a library's error imitated by a test are not."""
    source = '''### BEGIN HIDDEN TESTS
_hint, _mc = "", "other"
if _x:
    _hint, _mc = ": a hint", "grad_accumulates"
assert _x == 1
assert _x == 2, f"expected 2, got {_x}"
assert _x == 3, f"expected 3, got {_x}{_hint} [misconception: {_mc}]"
try:
    _f()
except RuntimeError:
    raise
except ValueError as _e:
    raise AssertionError(f"it raised {_e!r}") from None
raise AssertionError("expected a float [misconception: returns_tensor_not_float]")
raise TypeError("can't convert cuda:0 device type tensor to numpy")
### END HIDDEN TESTS
'''
    assert untagged(source) == [5, 6, 13], failure_messages(source)
    assert ids_used(source) == {"other", "grad_accumulates", "returns_tensor_not_float"}
