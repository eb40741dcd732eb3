"""The Chinese edition 中文版 (issue 27): one source, two languages, graded by the same checks.

The English source notebook stays the one source of truth. Each markdown cell's Chinese text lives beside it,
in grading/translations/zh/<nb>.json, keyed by the cell's id, with a hash of the English it translates:

    {"cells": {"c01-002": {"en_sha256": "<first 16 hex digits of sha256(English source)>", "zh": "..."}}}

`make notebooks` writes notebooks/zh/<nb>.ipynb: the English student notebook with every markdown cell whose
translation is current replaced by its Chinese. Code cells are not touched, so the graded cells (answers,
self-checks, hidden checks) are the English edition's, byte for byte: a Chinese hand-in goes into the same
submitted/ folder and is graded exactly like an English one. A translation whose English changed since is
stale, and a markdown cell without one is missing: `tests/test_translations.py` fails on both, and `python -m
grading translations` lists them (the English text is used for them meanwhile).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import nbformat

from grading.course.paths import REPO

TRANSLATIONS = REPO / "grading" / "translations"
ZH = "zh"
RULES_LINK = re.compile(r"\]\(GRADING\.md(#[^)]*)?\)")  # the rules page sits one folder up from notebooks/zh/


def en_hash(source: str) -> str:
    """What a translation records of the English it translates."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def translation_path(name: str, lang: str = ZH) -> Path:
    return TRANSLATIONS / lang / f"{name}.json"


def load(name: str, lang: str = ZH) -> dict[str, dict[str, str]]:
    """cell id -> {"en_sha256", "zh"} of one notebook (empty when there is no translation file yet)."""
    path = translation_path(name, lang)
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("cells", {})


def problems(name: str, english: nbformat.NotebookNode, lang: str = ZH) -> list[str]:
    """What keeps the edition of `lang` from matching the English notebook: markdown cells without a
    translation, translations of an English text that has changed since, translations of cells that are gone."""
    cells = load(name, lang)
    found = []
    markdown = {c.get("id"): c.source for c in english.cells if c.cell_type == "markdown"}
    for cell_id, source in markdown.items():
        entry = cells.get(cell_id)
        if entry is None or not entry.get(lang, "").strip():
            found.append(f"{name}: markdown cell {cell_id} has no translation")
        elif entry.get("en_sha256") != en_hash(source):
            found.append(f"{name}: the translation of cell {cell_id} is stale (its English changed since)")
    found += [f"{name}: a translation for cell {cell_id}, which is not a markdown cell of the notebook"
              for cell_id in cells if cell_id not in markdown]
    return found


def edition(nb: nbformat.NotebookNode, name: str, lang: str = ZH) -> nbformat.NotebookNode:
    """The notebook `nb` (a student version, or a hand-in made from one) in language `lang`: each markdown cell
    with a current translation replaced by it; every code cell, and so every graded cell, unchanged."""
    cells = load(name, lang)
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "markdown":
            continue
        entry = cells.get(cell.get("id"))
        if entry and entry.get("en_sha256") == en_hash(cell.source) and entry.get(lang, "").strip():
            cell.source = entry[lang]
        cell.source = RULES_LINK.sub(lambda m: f"](../GRADING.md{m.group(1) or ''})", cell.source)
    out.metadata.setdefault("course", {})["language"] = lang
    return out


def main(argv: list[str] | None = None) -> int:
    """python -m grading translations: what is missing or stale in the Chinese edition."""
    from grading.course.paths import STUDENT_DIR, notebook_names

    found = []
    for name in notebook_names():
        found += problems(name, nbformat.read(STUDENT_DIR / f"{name}.ipynb", as_version=4))
    print("\n".join(found) if found else "the Chinese edition is complete and current")
    return 1 if found else 0
