"""nbgrader preprocessors that keep a submission from earning points it did not earn, and say why.

Wired in grading/nbgrader_config.py:

- `CheckIntegrity` (sanitize stage, before nbgrader restores the grader's cells): compares the submission with
  the released notebook. Grader cells that were deleted, moved or given an unknown grade_id, and student code
  that the tamper screen (grading/judging/screen.py) rejects, are recorded as flags in the notebook's metadata.
- `ApplyFlags` (after execution): every check at or after a flag's cell gets an error output naming the reason,
  so nbgrader scores it 0; cells before it ran untouched by the offending code and keep their score.
- `RecordFlags` (after SaveAutoGrades): marks the submission flagged in the gradebook (the formgrader shows it)
  and puts a banner with the reasons at the top of the autograded notebook, which the feedback shows too.

Edits that nbgrader undoes (a grader cell's source, type or points changed) are flagged for a human but cost
nothing, because the checks then run exactly as the instructor wrote them. A grader cell as the Chinese edition
prints it (grading/course/translations.py: the same code, its messages in Chinese) is not an edit: it is put
back to the English cell without a flag, so both editions run the checks the gradebook holds.
"""

from __future__ import annotations

import copy
import functools
import os
import traceback

import jsonschema
import nbformat
import nbgrader.preprocessors as nbgrader_preprocessors
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool

from grading.course.layout import nbgrader_meta, restored_by_grader
from grading.course.translations import EDITIONS, edition
from grading.judging.sandbox import FLAGS_KEY, add_flag
from grading.judging.screen import grader_names, screen_cell

BANNER_ID = "grading-flags"


def _flag(nb: NotebookNode, reason: str, first_cell: int, costs_points: bool = True, kernel_word: bool = False) -> None:
    add_flag(nb, reason, first_cell)
    nb.metadata[FLAGS_KEY][-1]["costs_points"] = costs_points
    if kernel_word:
        nb.metadata[FLAGS_KEY][-1]["kernel_word"] = True


# The reasons a flag gives, shared with the students' hand-in check (grading/judging/handin.py)
def unknown_id_reason(i: int, gid: str) -> str:
    return f"cell {i} carries the unknown grade_id '{gid}' (grader metadata was edited)"


def edited_reason(gid: str, i: int) -> str:
    return f"grader cell '{gid}' (cell {i}) was edited; the original was restored and run"


def moved_reason(got: str, want: str, i: int) -> str:
    return f"grader cells were moved: '{got}' is where '{want}' belongs (cell {i})"


def deleted_reason(gid: str) -> str:
    return f"grader cell '{gid}' was deleted"


def screen_reason(i: int, gid: str | None, findings: list) -> str:
    where = f"cell {i}" + (f" (answer '{gid}')" if gid else "")
    return f"{where} reaches into the grader's machinery: " + "; ".join(map(str, findings))


@functools.lru_cache(maxsize=8)
def _editions(path: str, mtime_ns: int, size: int, name: str) -> tuple[NotebookNode, list[NotebookNode]]:
    # read and translated once per release file, not once per hand-in (the warm grader grades many in a row)
    release = nbformat.read(path, as_version=4)
    return release, [edition(release, name, lang) for lang in EDITIONS]


class CheckIntegrity(NbGraderPreprocessor):
    """Flag structural tampering and student code the tamper screen rejects (see the module docstring)."""

    screen_code = Bool(True, help="Screen the student's code cells (grading/judging/screen.py). Its findings flag "
                                  "the notebook for a human and cost only the checks that take the kernel's word; "
                                  "False grades on the sandbox boundary alone").tag(config=True)

    def _release(self, resources: dict) -> tuple[NotebookNode, list[NotebookNode]] | None:
        """The released notebook, and the same in each other language (grading/course/translations.py)."""
        coursedir = CourseDirectory(config=self.config)
        info = resources["nbgrader"]
        path = os.path.join(coursedir.format_path(coursedir.release_directory, ".", info["assignment"]),
                            f"{info['notebook']}.ipynb")
        if not os.path.exists(path):
            return None
        stat = os.stat(path)
        return _editions(path, stat.st_mtime_ns, stat.st_size, info["notebook"])

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        found = self._release(resources)
        if found is None:
            self.log.warning("no released notebook to compare with: only the tamper screen runs")
            found = NotebookNode(cells=[]), []
        release, translated = found
        order = [nbgrader_meta(c)["grade_id"] for c in release.cells if nbgrader_meta(c).get("grade_id")]
        grader = {nbgrader_meta(c)["grade_id"]: c for c in release.cells if restored_by_grader(c) and nbgrader_meta(c).get("grade_id")}
        as_printed = {gid: [c] + [t for nb_t in translated for t in nb_t.cells if nbgrader_meta(t).get("grade_id") == gid]
                      for gid, c in grader.items()}  # each grader cell as each edition prints it
        examples = {c.source for nb_e in [release, *translated] for c in nb_e.cells
                    if c.cell_type == "code" and not nbgrader_meta(c)}
        modules, protected = grader_names([c.source for c in grader.values() if c.cell_type == "code"])

        seen: list[tuple[str, int]] = []
        for i, cell in enumerate(nb.cells):
            gid = nbgrader_meta(cell).get("grade_id")
            if gid is not None and gid not in order:
                _flag(nb, unknown_id_reason(i, gid), i)
                cell.metadata.pop("nbgrader", None)
            elif gid is not None:
                seen.append((gid, i))
                original = grader.get(gid)
                unedited = [c for c in as_printed.get(gid, []) if cell.cell_type == c.cell_type and
                            cell.source == c.source and nbgrader_meta(cell) == nbgrader_meta(c)]
                if original is not None and not unedited:
                    _flag(nb, edited_reason(gid, i), i, costs_points=False)
                if original is not None and unedited != [original]:
                    # nbgrader restores the source; the type and grading metadata are put back here (and a
                    # translated cell becomes the English one that the gradebook holds)
                    nb.cells[i] = cell = copy.deepcopy(original)
            if not self.screen_code or cell.cell_type != "code" or (gid in grader) or cell.source in examples:
                continue
            findings = screen_cell(cell.source, modules, protected)
            if findings:
                _flag(nb, screen_reason(i, gid, findings), i, costs_points=False, kernel_word=True)

        present = [g for g, _ in seen]
        expected = [g for g in order if g in present]
        for k, (got, want) in enumerate(zip(present, expected)):
            if got != want:
                _flag(nb, moved_reason(got, want, seen[k][1]), seen[k][1])
                break
        for gid in order:
            if gid in grader and gid not in present:
                after = [i for g, i in seen if order.index(g) > order.index(gid)]
                _flag(nb, deleted_reason(gid), after[0] if after else len(nb.cells))
        for f in nb.metadata.get(FLAGS_KEY, []):
            self.log.warning("%s/%s: flagged: %s", resources["nbgrader"]["student"], resources["nbgrader"]["notebook"],
                             f["reason"])
        return nb, resources


class ApplyFlags(NbGraderPreprocessor):
    """Score 0, with the reason as its error, every check at or after a flagged cell; for a flag of the screen,
    only those checks that read state the kernel reported (resources['grading_kernel_word'])."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        flags = list(nb.metadata.get(FLAGS_KEY, []))
        resources["grading_flags"] = flags
        kernel_word = set(resources.get("grading_kernel_word", []))
        for flag in flags:
            if not flag.get("costs_points", True) and not flag.get("kernel_word"):
                continue
            for i, cell in enumerate(nb.cells):
                m = nbgrader_meta(cell)
                if not flag.get("costs_points", True) and i not in kernel_word:
                    continue
                if i >= flag["first_cell"] and cell.cell_type == "code" and m.get("grade") and not m.get("solution"):
                    cell.outputs.append(NotebookNode(
                        output_type="error", ename="FlaggedForReview", evalue=flag["reason"],
                        traceback=[f"FlaggedForReview: not scored, flagged for an instructor: {flag['reason']}"]))
        return nb, resources


class RecordFlags(NbGraderPreprocessor):
    """Mark a flagged submission in the gradebook and put the reasons at the top of the notebook."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        flags = resources.get("grading_flags") or []
        if not flags:
            return nb, resources
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            sub = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            sub.flagged = True
            gb.db.commit()
        lines = "\n".join(f"- {f['reason']}" + _cost(f) for f in flags)
        banner = nbformat.v4.new_markdown_cell("**Flagged for review by the grader.**\n\n" + lines)
        banner.metadata["grading"] = BANNER_ID
        banner.metadata["grading_flags"] = flags  # read by the class summary (grading/class_grading/autograde.py)
        nb.cells.insert(0, banner)
        return nb, resources


def _cost(flag: dict) -> str:
    if flag.get("costs_points", True):
        return " (the checks from this cell on were not scored)"
    if flag.get("kernel_word"):
        return (" (the checks from this cell on that rely on what the kernel reports about side effects were not "
                "scored; the others were)")
    return " (no points lost)"


class _CompiledSchemaValidator(MetadataValidator):
    """nbgrader's metadata validator with its JSON schema compiled once: nbgrader calls jsonschema.validate
    per cell, which re-checks the schema itself every time (a fifth of autograding's own CPU)."""

    _compiled = None

    def validate_cell(self, cell: NotebookNode) -> None:
        if "nbgrader" not in cell.metadata:
            return
        if cell.metadata["nbgrader"].get("schema_version", 0) != self.schema_version:
            super().validate_cell(cell)  # raises nbgrader's own too-old / too-new error
            return
        if _CompiledSchemaValidator._compiled is None:
            _CompiledSchemaValidator._compiled = jsonschema.validators.validator_for(self.schema)(self.schema)
        error = jsonschema.exceptions.best_match(self._compiled.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error  # what jsonschema.validate raises


class CheckCellMetadata(nbgrader_preprocessors.CheckCellMetadata):
    """nbgrader's CheckCellMetadata, the same checks and errors, with the schema compiled once."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        try:
            _CompiledSchemaValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
