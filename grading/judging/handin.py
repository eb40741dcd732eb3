"""The hand-in check: what the grader will hold against a notebook, found before it is handed in.

usage: python -m grading handin NOTEBOOK.ipynb [...]   (or the last cell of each student notebook, in JupyterLab)

It reads the notebook as saved and reports, with cell and line, in the grader's own words:

- grader cells edited, deleted, moved or carrying an unknown grade_id (grading/judging/integrity.py);
- code the tamper screen flags (grading/judging/screen.py);
- answers still left as the stub (or still holding its `raise NotImplementedError()`);
- self-checks that fail, and any other cell that raises where the notebook does not expect an error, from a run
  of the saved notebook in a fresh kernel (as the grader runs it).

What the grader compares with (the grader cells in order, the imports of its checks, hidden ones included,
the example cells) is written into each student notebook by `make notebooks` (grading/authoring/generate.py,
`hand_in_facts`); each grader cell carries nbgrader's checksum of itself. The notebook file is never written: the run works on a copy in memory.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grading.course.layout import HAND_IN_FACTS, HAND_IN_TAG, is_answer, nbgrader_meta, source_digest

CELL_TIMEOUT_S = 120


@dataclass(frozen=True)
class Problem:
    cell: int | None  # index in the saved notebook (as the grader counts, from 0), None for the whole notebook
    what: str  # what is wrong, in the grader's words
    todo: str  # what to do about it
    starts: str = ""  # the cell's first line, to find it by (JupyterLab does not number cells)
    zh: tuple[str, str] | None = None  # (what, todo) in Chinese, for a notebook of the Chinese edition

    def __str__(self) -> str:
        where = "the notebook" if self.cell is None else f"cell {self.cell}" + (f" ({self.starts})" if self.starts else "")
        return f"{where}: {self.what}\n    what to do: {self.todo}"

    def in_chinese(self) -> str:
        """The finding as a student of the Chinese edition reads it (the English where no Chinese was written)."""
        what, todo = self.zh or (self.what, self.todo)
        where = "整个笔记本" if self.cell is None else f"第 {self.cell} 个单元格" + (f"（{self.starts}）" if self.starts else "")
        return f"{where}：{what}\n    怎么办：{todo}"


def first_line(cell) -> str:
    line = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"`{line[:60]}`" + ("..." if len(line) > 60 else "") if line else ""


def _located(nb: nbformat.NotebookNode, problems: list[Problem]) -> list[Problem]:
    return [p if p.cell is None or p.cell >= len(nb.cells) else
            Problem(p.cell, p.what, p.todo, first_line(nb.cells[p.cell]), p.zh) for p in problems]


def structure_problems(nb: nbformat.NotebookNode, facts: dict) -> list[Problem]:
    """Grader cells edited, deleted, moved or unknown: what CheckIntegrity flags, from the saved notebook alone."""
    from nbgrader.utils import compute_checksum

    from grading.judging import integrity

    problems: list[Problem] = []
    order, restored = facts["order"], set(facts["restored"])
    seen: list[tuple[str, int]] = []
    for i, cell in enumerate(nb.cells):
        m = nbgrader_meta(cell)
        gid = m.get("grade_id")
        if gid is None:
            continue
        if gid not in order:
            problems.append(Problem(i, integrity.unknown_id_reason(i, gid),
                                    "undo the change to this cell's metadata, or copy your code into a new cell and "
                                    "delete this one",
                                    zh=(f"第 {i} 个单元格带着评分程序不认识的 grade_id '{gid}'（它的评分元数据被改过）",
                                        "撤销对这个单元格元数据的修改；或者把你的代码复制到一个新单元格，再删掉这个")))
            continue
        seen.append((gid, i))
        if gid in restored and (m.get("cell_type") != cell.cell_type or
                                ("checksum" in m and compute_checksum(cell) != m["checksum"])):
            problems.append(Problem(i, integrity.edited_reason(gid, i) + " (no points lost; flagged for review)",
                                    "undo your edit of this cell (Edit > Undo, or copy it back from a fresh copy "
                                    "of the notebook); write your own code in a new cell instead",
                                    zh=((f"评分单元格 '{gid}'（第 {i} 个单元格）被改过；评分时会换回原样再运行（不扣分，"
                                        "但会被标记，由老师复核）"),
                                        ("撤销你对这个单元格的修改（编辑 > 撤销，或从一份新的笔记本里复制回来）；"
                                        "你自己的代码请写在新单元格里"))))
    present = [g for g, _ in seen]
    expected = [g for g in order if g in present]
    for k, (got, want) in enumerate(zip(present, expected)):
        if got != want:
            problems.append(Problem(seen[k][1], integrity.moved_reason(got, want, seen[k][1]),
                                    "move the grader's cells back into their original order",
                                    zh=(f"评分单元格的顺序被挪动了：'{got}' 出现在 '{want}' 应在的位置（第 {seen[k][1]} 个单元格）",
                                        "把评分单元格移回原来的顺序")))
            break
    for gid in order:
        if gid in restored and gid not in present:
            problems.append(Problem(None, integrity.deleted_reason(gid),
                                    f"put cell '{gid}' back: copy it from a fresh copy of the notebook",
                                    zh=(f"评分单元格 '{gid}' 被删掉了", f"把单元格 '{gid}' 放回去：从一份新的笔记本里复制它")))
    return problems


def answer_problems(nb: nbformat.NotebookNode, facts: dict) -> list[Problem]:
    """Answers left as the stub, still holding its `raise NotImplementedError()`, or no longer defining their name."""
    stubs = facts.get("stubs", {})
    problems = []
    for i, cell in enumerate(nb.cells):
        gid = nbgrader_meta(cell).get("grade_id")
        if not is_answer(cell) or gid not in stubs:
            continue
        defined = _defined(cell.source)
        if defined is not None and gid not in defined:
            problems.append(Problem(i, f"answer cell '{gid}' does not define `{gid}`: the grader's checks call it by "
                                       "that name", f"name your function (or class) `{gid}` again, as in the stub",
                                    zh=(f"答案单元格 '{gid}' 没有定义 `{gid}`：评分程序的检查按这个名字调用它",
                                        f"把你的函数（或类）重新命名为 `{gid}`，和桩代码里一样")))
        elif source_digest(cell.source) == stubs[gid]:
            problems.append(Problem(i, f"answer '{gid}' is still the stub",
                                    "replace `# YOUR CODE HERE` and `raise NotImplementedError()` with your code",
                                    zh=(f"答案 '{gid}' 还是桩代码，没有作答",
                                        "把 `# 在这里写你的代码` 和 `raise NotImplementedError(...)` 这两行换成你的代码")))
        elif "raise NotImplementedError" in cell.source:
            problems.append(Problem(i, f"answer '{gid}' still contains the stub's `raise NotImplementedError()`",
                                    "remove that line once your code is in place (the grader runs the function "
                                    "as it is)",
                                    zh=(f"答案 '{gid}' 里还留着桩代码的 `raise NotImplementedError(...)`",
                                        "代码写好后删掉这一行（评分程序按函数现在的样子运行它）")))
    return problems


def _defined(source: str) -> set[str] | None:
    """Names the cell defines at top level; None when it does not parse (the run reports that error)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def screen_problems(nb: nbformat.NotebookNode, facts: dict) -> list[Problem]:
    """The tamper screen's findings for the student's own code cells, as CheckIntegrity words them."""
    from grading.judging import integrity
    from grading.judging.screen import grader_names, screen_cell

    modules, protected = grader_names(facts["grader_imports"])
    examples, restored = set(facts["examples"]), set(facts["restored"])
    problems = []
    for i, cell in enumerate(nb.cells):
        gid = nbgrader_meta(cell).get("grade_id")
        if cell.cell_type != "code" or gid in restored or source_digest(cell.source) in examples:
            continue
        findings = screen_cell(cell.source, modules, protected)
        if findings:
            problems.append(Problem(i, integrity.screen_reason(i, gid, findings),
                                    "rewrite the named lines with plain code (see the notebook's first cell for "
                                    "what the grader accepts); the flag costs no points where the checks do "
                                    "not depend on it, but an instructor will look",
                                    zh=(f"第 {i} 个单元格" + (f"（答案 '{gid}'）" if gid else "") + "触及评分程序的内部机制："
                                        + "；".join(f"第 {f.line} 行：{f.problem}" for f in findings) + "（筛查的说明为英文）",
                                        ("用普通代码改写指出的那几行（评分程序接受什么，见 GRADING.md）；检查不依赖它的地方，"
                                        "这个标记不扣分，但老师会看"))))
    return problems


def run_problems(nb: nbformat.NotebookNode, folder: Path, kernel: str = "python3") -> list[Problem]:
    """Run a copy of the notebook in a fresh kernel, in its own folder; stubs, failing checks, unexpected errors."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    run = copy.deepcopy(nb)
    keep = [i for i, c in enumerate(run.cells) if HAND_IN_TAG not in c.metadata.get("tags", [])]
    run.cells = [run.cells[i] for i in keep]
    for cell in run.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(run, timeout=CELL_TIMEOUT_S, kernel_name=kernel, allow_errors=True,
                            record_timing=False, resources={"metadata": {"path": str(folder)}})
    problems: list[Problem] = []
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as err:
        stopped = f"{type(err).__name__}: {str(err).strip().splitlines()[-1]}"
        problems.append(Problem(None, f"the run stopped: {stopped}",
                                "find the cell that runs forever or crashes the kernel (a loop that never ends, a "
                                "huge tensor); the grader stops there too and scores the remaining checks 0",
                                zh=(f"运行中途停了：{stopped}",
                                    ("找出永远跑不完或让内核崩溃的单元格（死循环、特别大的张量）；评分程序也会停在那里，"
                                    "后面的检查都记 0 分"))))
    for j, cell in enumerate(run.cells):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if cell.cell_type != "code" or not errors:
            continue
        i, error = keep[j], errors[0]
        gid = nbgrader_meta(cell).get("grade_id")
        said = f"{error.ename}: {str(error.evalue).strip().splitlines()[0] if str(error.evalue).strip() else ''}"
        m = nbgrader_meta(cell)
        if is_answer(cell) and error.ename == "NotImplementedError":
            problems.append(Problem(i, f"answer '{gid}' is still the stub ({error.ename})",
                                    "replace `raise NotImplementedError()` with your code",
                                    zh=(f"答案 '{gid}' 还是桩代码（{error.ename}）",
                                        "把 `raise NotImplementedError(...)` 换成你的代码")))
        elif m.get("grade") and not m.get("solution"):
            stub = error.ename == "NotImplementedError"
            problems.append(Problem(i, f"check '{gid}' fails: {said}",
                                    "write the answer above first" if stub else
                                    "read the message: it says what was expected and what came back; fix the "
                                    "answer above and run the check again",
                                    zh=(f"检查 '{gid}' 没有通过：{said}",
                                        "先写上面的答案" if stub else
                                        "读一读报错信息：它写明了期望什么、实际得到什么；改好上面的答案，再运行一次这个检查")))
        elif "raises-exception" not in cell.metadata.get("tags", []):
            problems.append(Problem(i, f"the cell raises {said}" + (f" (answer '{gid}')" if gid else ""),
                                    "the grader runs every cell from the top in a fresh kernel: make this cell run, "
                                    "or delete it if it is a scratch cell of yours",
                                    zh=(f"这个单元格报错：{said}" + (f"（答案 '{gid}'）" if gid else ""),
                                        ("评分程序会在新内核里从头运行每个单元格：让这个单元格能运行，"
                                        "如果它是你自己的草稿单元格，就删掉它"))))
    return problems


def check(path: Path, run: bool = True, kernel: str = "python3") -> list[Problem]:
    """Everything the grader would hold against the notebook saved at `path` that can be seen without the hidden
    tests. Reads the file; never writes it."""
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.ValidationError) as err:
        return [Problem(None, f"cannot read {path.name}: {type(err).__name__}: {err}",
                        "save the notebook again from JupyterLab, or restore it with File > Revert Notebook to "
                        "Checkpoint",
                        zh=(f"读不了 {path.name}：{type(err).__name__}: {err}",
                            "在 JupyterLab 里重新保存这个笔记本，或者用 文件 > 将笔记本恢复到检查点 把它恢复"))]
    facts = nb.metadata.get("course", {}).get(HAND_IN_FACTS)
    problems = []
    if facts is None:
        problems.append(Problem(None, "the notebook carries no hand-in facts (metadata course.hand_in): it is not a "
                                      "student notebook of this course, or its metadata was removed",
                                "start from a fresh copy of the notebook from notebooks/ and paste your answers in",
                                zh=(("这个笔记本没有交作业前自检所需的信息（元数据 course.hand_in）：它不是本课程的学生笔记本，"
                                    "或者它的元数据被删掉了"),
                                    "从 notebooks/ 里拿一份新的笔记本，把你的答案粘贴进去")))
    else:
        problems += structure_problems(nb, facts) + answer_problems(nb, facts) + screen_problems(nb, facts)
    if run:
        problems += run_problems(nb, path.resolve().parent, kernel)
    return sorted(_located(nb, problems), key=lambda p: (-1 if p.cell is None else p.cell))


def report(path: Path, problems: list[Problem], lang: str = "en") -> str:
    """The hand-in check's verdict, in Chinese for a notebook of the Chinese edition."""
    if lang == "zh":
        if not problems:
            return (f"交作业前自检（{path.name}）：没有发现问题。所有自检都通过，评分程序也没有要标记的代码；"
                    "其余由隐藏测试决定。")
        return "\n".join([f"交作业前自检（{path.name}）：评分程序会挑出 {len(problems)} 个问题："]
                         + [f"- {p.in_chinese()}" for p in problems])
    elif not problems:
        return (f"Hand-in check of {path.name}: nothing found. Every self-check passes and the grader has nothing to "
                "flag; the hidden tests decide the rest.")
    else:
        lines = [f"Hand-in check of {path.name}: {len(problems)} thing(s) the grader will hold against the notebook:"]
    lines += [f"- {p}" for p in problems]
    return "\n".join(lines)


def language_of(path: Path) -> str:
    """The edition a saved notebook belongs to (metadata course.language, written by make notebooks)."""
    try:
        return nbformat.read(path, as_version=4).metadata.get("course", {}).get("language", "en")
    except (OSError, json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.ValidationError):
        # an unreadable file: check() reports it, in English
        return "en"


def check_saved_notebook(session: str | None = None) -> list[Problem] | None:
    """The hand-in cell's entry point: check the notebook JupyterLab has open in this kernel, as saved."""
    session = session or os.environ.get("JPY_SESSION_NAME")
    if not session:
        print("The hand-in check runs in JupyterLab, on the saved notebook (here it does nothing). In a terminal: "
              "python -m grading handin NOTEBOOK.ipynb")
        return None
    path = Path(session)
    if not path.is_file():
        path = Path.cwd() / path.name
    problems = check(path)
    print(report(path, problems, language_of(path)))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading handin", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--no-run", action="store_true", help="only the structure and screen checks")
    args = parser.parse_args(argv)
    found = 0
    for path in args.notebooks:
        problems = check(path, run=not args.no_run)
        print(report(path, problems, language_of(path)))
        found += len(problems)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
