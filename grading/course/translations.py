"""The Chinese edition 中文版 (issue 27): one source, two languages, graded by the same checks.

The English source notebook stays the one source of truth. Each cell's Chinese text lives beside it, in
grading/translations/zh/<nb>.json, keyed by the cell's id, with a hash of the English it translates:

    {"cells": {"c01-002": {"en_sha256": "<first 16 hex digits of sha256(English source)>", "zh": "..."}}}

Every markdown cell has one, and so does every grader cell a student reads: the self-checks, the one-line
docstrings that stand for the hidden checks, and the hand-in check cell. A code cell's translation is the whole cell in Chinese, and may differ from the English only
in its comments, its docstring and the text of its messages (assert messages, print() arguments, the arguments of
a raised exception, the text bound to `hint` or `why`): `same_code` holds it to that, so both editions run the
same code.

`make notebooks` writes notebooks/zh/<nb>.ipynb: the English student notebook with every cell whose translation
is current replaced by its Chinese, the answer stubs' comment and message in Chinese, and nbgrader's checksum of
each changed grader cell recomputed (so Validate and the hand-in check see an unedited notebook). The grader
(grading/judging/integrity.py) takes a grader cell of either edition as unedited and grades the English one: a
Chinese hand-in goes into the same submitted/ folder and is graded exactly like an English one. A translation
whose English changed since is stale, and a cell without one is missing: `tests/test_translations.py` fails on
both, and `python -m grading translations` lists them (the English text is used for them meanwhile).
"""

from __future__ import annotations

import ast
import copy
import functools
import hashlib
import json
import re
from pathlib import Path

import nbformat

from grading.course.layout import HAND_IN_FACTS, HAND_IN_TAG, is_answer, is_test, nbgrader_meta, source_digest
from grading.course.paths import REPO

TRANSLATIONS = REPO / "grading" / "translations"
ZH = "zh"
EDITIONS = (ZH,)  # the languages besides English
RULES_HASH = re.compile(r"\A<!-- en_sha256: ([0-9a-f]{16}) -->\n\n?")  # first line of a translated rules page
# nbgrader's stub (grading/nbgrader_config.py) and its Chinese: the message is what Run All stops on
STUB = re.compile(r"^( *)# YOUR CODE HERE\n\1raise NotImplementedError\(\)$", re.MULTILINE)
STUBS = {ZH: '# 在这里写你的代码（YOUR CODE HERE）\nraise NotImplementedError("还没有作答：把这两行换成你的代码")'}


def en_hash(source: str) -> str:
    """What a translation records of the English it translates."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def translation_path(name: str, lang: str = ZH) -> Path:
    return TRANSLATIONS / lang / f"{name}.json"


def load(name: str, lang: str = ZH) -> dict[str, dict[str, str]]:
    """cell id -> {"en_sha256", "zh"} of one notebook (empty when there is no translation file yet)."""
    return copy.deepcopy(_load(translation_path(name, lang)))


@functools.lru_cache(maxsize=16)
def _load(path: Path) -> dict[str, dict[str, str]]:
    # cached: the grader looks a notebook's translations up once per hand-in
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("cells", {})


def rules_page(lang: str = ZH) -> tuple[str, str | None]:
    """notebooks/<lang>/GRADING.md's text (the translation of grading/course/GRADING.md, kept in
    grading/translations/<lang>/GRADING.md under a first line `<!-- en_sha256: ... -->`), and what is wrong with it:
    None when current; when missing or stale the English text stands in and the problem is named."""
    from grading.course.paths import RULES

    english = RULES.read_text(encoding="utf-8")
    path = TRANSLATIONS / lang / "GRADING.md"
    if not path.is_file():
        return english, f"the rules page has no translation ({path.relative_to(REPO)})"
    text = path.read_text(encoding="utf-8")
    found = RULES_HASH.match(text)
    if found is None or found.group(1) != en_hash(english):
        return english, f"the translation of the rules page is stale (its English changed since): {path.relative_to(REPO)}"
    return text[found.end():], None


def needs_translation(cell: nbformat.NotebookNode) -> bool:
    """Cells a student reads: markdown, and the grader's code cells that speak to the student (the self-checks,
    the docstrings that stand for the hidden checks in a student notebook, the hand-in check); the other code
    cells may have a translation of their comments and prints."""
    if cell.cell_type == "markdown":
        return True
    return cell.cell_type == "code" and (is_test(cell) or HAND_IN_TAG in cell.metadata.get("tags", []))


class _Text(ast.NodeTransformer):
    """Masks the text of a message (string literals, and the literal parts of f-strings), keeping what it
    interpolates: translated messages may reword and reorder, not compute anything else."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant("<text>") if isinstance(node.value, str) else node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        node.body, node.orelse = self.visit(node.body), self.visit(node.orelse)
        return node  # its condition is code: `": ..." if "second time" in str(err) else ""`

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        return node  # a comparison is code, whatever strings it compares

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        values = sorted(ast.unparse(ast.JoinedStr([v])) for v in node.values if isinstance(v, ast.FormattedValue))
        return ast.Constant(f"<text with {' '.join(values)}>")


# Names that hold part of a message (`hint = ": use .item()"`, then `assert ..., f"...{hint}"`): the text bound
# to them is message text too
MESSAGE_NAMES = frozenset({"hint", "_hint", "why", "_why"})


class _Messages(ast.NodeTransformer):
    """Masks the text of every message in a cell: the docstring, assert messages, print() arguments, the
    arguments of a raised exception, and the text bound to a name of MESSAGE_NAMES."""

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in MESSAGE_NAMES:
                node.value = _Text().visit(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) and \
                    len(target.elts) == len(node.value.elts):
                node.value.elts = [_Text().visit(v) if isinstance(t, ast.Name) and t.id in MESSAGE_NAMES else v
                                   for t, v in zip(target.elts, node.value.elts)]
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name) and node.target.id in MESSAGE_NAMES:
            node.value = _Text().visit(node.value)
        return node

    def visit_Module(self, node: ast.Module) -> ast.AST:
        self.generic_visit(node)
        if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            node.body[0] = ast.Expr(ast.Constant("<docstring>"))
        return node

    def visit_Assert(self, node: ast.Assert) -> ast.AST:
        self.generic_visit(node)
        if node.msg is not None:
            node.msg = _Text().visit(node.msg)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            node.args = [_Text().visit(a) for a in node.args]
        return node

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.exc, ast.Call):
            # a message of plain text may be added or dropped: the Chinese stub says `raise NotImplementedError(
            # "还没有作答...")` where nbgrader's English stub says `raise NotImplementedError()`
            plain = [a for a in node.exc.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            node.exc.args = [_Text().visit(a) for a in node.exc.args if not any(a is p for p in plain)]
        return node


def code_of(source: str) -> str:
    """A code cell as it runs, messages masked: two cells with the same code_of differ only in comments and text."""
    return ast.dump(_Messages().visit(ast.parse(source)))


@functools.lru_cache(maxsize=1024)
def same_code(english: str, translated: str) -> str | None:
    """None when `translated` runs the same code as `english`; otherwise what differs. (Cached: the grader asks
    it of the same cells for every hand-in.)"""
    try:
        theirs = code_of(translated)
    except SyntaxError as err:
        return f"the translation does not parse: {err}"
    if code_of(english) == theirs:
        return None
    en, zh = (ast.unparse(_Messages().visit(ast.parse(s))).splitlines() for s in (english, translated))
    k = next((i for i, (a, b) in enumerate(zip(en, zh)) if a != b), min(len(en), len(zh)))
    return (f"the code differs beyond comments and message text, at statement line {k + 1}: English "
            f"`{en[k].strip() if k < len(en) else '(end)'}`, translation `{zh[k].strip() if k < len(zh) else '(end)'}`")


def problems(name: str, english: nbformat.NotebookNode, lang: str = ZH) -> list[str]:
    """What keeps the edition of `lang` from matching the English notebook: cells without a translation that
    need one, translations of an English text that has changed since, translations of cells that are gone, and
    code translations that would run other code."""
    cells = load(name, lang)
    found = []
    sources = {c.get("id"): c for c in english.cells}
    for cell_id, cell in sources.items():
        entry = cells.get(cell_id)
        if entry is None or not entry.get(lang, "").strip():
            if needs_translation(cell):
                found.append(f"{name}: {cell.cell_type} cell {cell_id} has no translation")
        elif entry.get("en_sha256") != en_hash(cell.source):
            found.append(f"{name}: the translation of cell {cell_id} is stale (its English changed since)")
        elif cell.cell_type == "code" and (why := same_code(cell.source, entry[lang])):
            found.append(f"{name}: code cell {cell_id}: {why}")
    found += [f"{name}: a translation for cell {cell_id}, which is not a cell of the notebook"
              for cell_id in cells if cell_id not in sources]
    return found


def edition(nb: nbformat.NotebookNode, name: str, lang: str = ZH) -> nbformat.NotebookNode:
    """The notebook `nb` (a student version, or a hand-in made from one) in language `lang`: each cell with a
    current translation replaced by it (a code cell only where it runs the same code), the answer stubs' text
    translated; nbgrader's checksums and the hand-in facts follow the new text."""
    from nbgrader.utils import compute_checksum

    cells = load(name, lang)
    out = copy.deepcopy(nb)
    facts = out.metadata.get("course", {}).get(HAND_IN_FACTS)
    for cell in out.cells:
        entry = cells.get(cell.get("id"))
        current = entry and entry.get("en_sha256") == en_hash(cell.source) and entry.get(lang, "").strip()
        if cell.cell_type == "markdown":
            if current:
                cell.source = entry[lang]
            continue  # its link to GRADING.md opens notebooks/<lang>/GRADING.md, the rules in its language
        if cell.cell_type != "code":
            continue
        before = cell.source
        if current and same_code(cell.source, entry[lang]) is None:
            cell.source = entry[lang]
        elif is_answer(cell) and lang in STUBS and nbgrader_meta(cell).get("checksum") == compute_checksum(cell):
            # an untouched stub only, not a student's answer; indented as the stub is
            cell.source = STUB.sub(lambda m: "\n".join(m.group(1) + line for line in STUBS[lang].splitlines()),
                                   cell.source)
        if cell.source == before:
            continue
        # only what this function changed gets a new fingerprint: a student's answer keeps its own checksum
        m = nbgrader_meta(cell)
        if "checksum" in m:
            m["checksum"] = compute_checksum(cell)
        if facts is not None:
            old, new = source_digest(before), source_digest(cell.source)
            if is_answer(cell) and facts.get("stubs", {}).get(m.get("grade_id")) == old:
                facts["stubs"][m["grade_id"]] = new
            if not m and old in facts.get("examples", []):
                facts["examples"] = sorted(set(facts["examples"]) - {old} | {new})
    out.metadata.setdefault("course", {})["language"] = lang
    return out


def main(argv: list[str] | None = None) -> int:
    """python -m grading translations: what is missing or stale in the Chinese edition."""
    from grading.course.paths import STUDENT_DIR, notebook_names

    found = [why] if (why := rules_page()[1]) else []
    for name in notebook_names():
        found += problems(name, nbformat.read(STUDENT_DIR / f"{name}.ipynb", as_version=4))
    print("\n".join(found) if found else "the Chinese edition is complete and current")
    return 1 if found else 0
