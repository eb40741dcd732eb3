"""Generate notebooks/ (student versions) and solutions/ (executed) from grading/source.

usage: python -m grading generate [NOTEBOOK ...]      (`make notebooks`; default: all of them)

Everything is built in memory and in a scratch folder first; files are written only when every
notebook passed its checks and its solution ran clean, so a failure leaves nothing half-done.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from grading.authoring.source_checks import SourceError, check_source
from grading.course.layout import HAND_IN_FACTS, is_answer, nbgrader_meta, restored_by_grader, source_digest
from grading.course.paths import (
    COURSE,
    GENERATED_NOTE,
    REPO,
    RULES,
    RULES_NOTE,
    RULES_NOTE_ZH,
    notebook_names,
    run_nbgrader,
    source_path,
)
from grading.course.translations import ZH, edition
from grading.course.translations import rules_page as translated_rules

CELL_TIMEOUT_S = 120
# Warnings quote the kernel's process id and the checkout's install path; mask both so that
# regenerating in another process or checkout writes the same file (nbval masks them too).
VOLATILE = [
    (re.compile(r"ipykernel_\d+"), "ipykernel_<pid>"),
    (re.compile(r"[^\s'\"]*/site-packages/"), "<site-packages>/"),
]


class GenerationError(Exception):
    """nbgrader could not release a notebook, or a solution failed when executed."""


def _mark_generated(nb: nbformat.NotebookNode, name: str) -> None:
    nb.metadata["course"] = {"generated": GENERATED_NOTE.format(name=name)}


def student_versions(names: list[str], course: Path = COURSE) -> dict[str, nbformat.NotebookNode]:
    """Run `nbgrader generate_assignment` on a scratch copy of the course; return the releases."""
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        root = Path(tmp)
        shutil.copy(course / "nbgrader_config.py", root)
        for name in names:
            shutil.copytree(course / "source" / name, root / "source" / name)
        proc = run_nbgrader(root, "generate_assignment", "*", "--force")
        released = {}
        for name in names:
            path = root / "release" / name / f"{name}.ipynb"
            if proc.returncode != 0 or not path.is_file():
                log = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
                raise GenerationError(f"{name}: nbgrader generate_assignment failed:\n{log}")
            nb = nbformat.read(path, as_version=4)
            _mark_generated(nb, name)
            source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
            nb.metadata["course"][HAND_IN_FACTS] = hand_in_facts(nb, source)
            released[name] = nb
        return released


def hand_in_facts(student: nbformat.NotebookNode, source: nbformat.NotebookNode) -> dict:
    """What the students' hand-in check (grading/judging/handin.py) compares a saved notebook with: the grader's
    cells in order, those it restores, the example cells, the imports of the grader's code cells (the hidden
    tests' included, which the student version no longer has: they decide the names the tamper screen protects),
    and each answer cell's stub."""
    imports = []
    for cell in source.cells:
        if cell.cell_type == "code" and restored_by_grader(cell):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            imports += [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return {
        "order": [nbgrader_meta(c)["grade_id"] for c in student.cells if nbgrader_meta(c).get("grade_id")],
        "restored": [nbgrader_meta(c)["grade_id"] for c in student.cells
                     if nbgrader_meta(c).get("grade_id") and restored_by_grader(c)],
        "examples": sorted({source_digest(c.source) for c in student.cells
                            if c.cell_type == "code" and not nbgrader_meta(c)}),
        "grader_imports": list(dict.fromkeys(imports)),
        "stubs": {nbgrader_meta(c)["grade_id"]: source_digest(c.source) for c in student.cells if is_answer(c)},
    }


def solution_version(source: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The solved notebook before execution: the source, outputs cleared, with the generated note."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    note = nbformat.v4.new_markdown_cell(
        f"> **Instructor solution.** {GENERATED_NOTE.format(name=name)}", id="generated-note")
    nb.cells.insert(0, note)
    nb.metadata["language_info"] = {"name": "python"}
    _mark_generated(nb, name)
    return nb


def execute(nb: nbformat.NotebookNode, label: str) -> nbformat.NotebookNode:
    """Execute a solved notebook in a fresh kernel; raise GenerationError naming the failing cell."""
    nb = copy.deepcopy(nb)
    failed: dict = {}

    def on_cell_error(cell, cell_index, execute_reply):
        content = execute_reply.get("content", {})
        failed.setdefault("index", cell_index)
        failed.setdefault("error", f"{content.get('ename', 'Error')}: {content.get('evalue', '')}")

    with tempfile.TemporaryDirectory(prefix="course-exec-") as cwd:
        client = NotebookClient(
            nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
            resources={"metadata": {"path": cwd}}, on_cell_error=on_cell_error,
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as e:
            i = failed.get("index")
            cell = nb.cells[i] if i is not None else None
            gid = cell.metadata.get("nbgrader", {}).get("grade_id") if cell is not None else None
            where = f"cell {i - 1}" if i is not None else "a cell"  # -1: the inserted note cell
            where += f" (grade_id '{gid}')" if gid else ""
            error = failed.get("error") or str(e).strip().splitlines()[-1]
            raise GenerationError(f"{label}: {where} failed when the solution was run: {error}") from None
    nb.metadata["language_info"] = {"name": "python"}  # the kernel adds its exact version: not ours to pin
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _stable_outputs(cell.outputs)
    return nb


def _stable_outputs(outputs: list) -> list:
    """Merge consecutive prints to one stream (how the kernel splits them depends on timing)
    and mask the volatile text of VOLATILE."""
    merged: list = []
    for output in outputs:
        if output.output_type == "stream":
            for pattern, replacement in VOLATILE:
                output.text = pattern.sub(replacement, output.text)
            if merged and merged[-1].output_type == "stream" and merged[-1].name == output.name:
                merged[-1].text += output.text
                continue
        merged.append(output)
    return merged


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def rules_page(lang: str = "en") -> str:
    """notebooks/GRADING.md: the grading rules, beside the notebooks that link to them (a student's JupyterLab
    serves notebooks/ only, so a link out of it would not open); notebooks/zh/GRADING.md, the same in Chinese."""
    if lang == "en":
        return f"{RULES_NOTE}\n\n{RULES.read_text(encoding='utf-8')}"
    text, _ = translated_rules(lang)
    return f"{RULES_NOTE_ZH}\n\n{text}"


def build(names: list[str], jobs: int, course: Path = COURSE, out: Path = REPO) -> dict[Path, str]:
    """Every file to write, keyed by path; raises SourceError or GenerationError."""
    sources = {name: check_source(source_path(name, course / "source")) for name in names}
    students = student_versions(names, course)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        solved = dict(zip(names, pool.map(
            lambda n: execute(solution_version(sources[n], n), f"{course.name}/source/{n}/{n}.ipynb"), names)))
    files = {out / "notebooks" / "GRADING.md": rules_page(), out / "notebooks" / ZH / "GRADING.md": rules_page(ZH)}
    for name in names:
        files[out / "notebooks" / f"{name}.ipynb"] = render(students[name])
        files[out / "notebooks" / ZH / f"{name}.ipynb"] = render(edition(students[name], name))  # 中文版
        files[out / "solutions" / f"{name}.ipynb"] = render(solved[name])
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading generate", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names (default: all in grading/source)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="solutions executed at once")
    parser.add_argument("--course", type=Path, default=COURSE, help="nbgrader course root (default: grading/)")
    parser.add_argument("--out", type=Path, default=REPO, help="where notebooks/ and solutions/ go (default: repo)")
    args = parser.parse_args(argv)
    if not (args.course / "nbgrader_config.py").is_file() or not (args.course / "source").is_dir():
        parser.error(f"{args.course} is not an nbgrader course (no nbgrader_config.py or source/)")
    known = notebook_names(args.course / "source")
    unknown = [n for n in args.notebooks if n not in known]
    if unknown:
        parser.error(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(known)}")
    try:
        files = build(args.notebooks or known, max(1, args.jobs), args.course, args.out)
    except (SourceError, GenerationError) as e:
        print(f"make notebooks: {e}\nNothing was written.", file=sys.stderr)
        return 1
    for path, text in files.items():
        write_atomic(path, text)
        print(f"wrote {path.parent.name}/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
