"""Feedback without the hidden tests: `nbgrader generate_feedback` renders the autograded notebook, which holds
the hidden tests' code. `HideHiddenTests` replaces each hidden check's source with its one-line docstring,
name and points, and cuts its tracebacks (which quote the code) down to the failure message.
"""

from __future__ import annotations

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from grading.layout import HIDDEN_BEGIN, nbgrader_meta


def _docstring(source: str) -> str:
    first = source.strip().splitlines()[0] if source.strip() else ""
    return first if first.startswith(('"""', "'''")) else ""


class HideHiddenTests(NbGraderPreprocessor):
    """Show each hidden check's name, result and message, never its code."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type != "code" or HIDDEN_BEGIN not in cell.source:
            return cell, resources
        m = nbgrader_meta(cell)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        result = "failed" if errors else "passed"
        cell.source = "\n".join(filter(None, [
            _docstring(cell.source),
            f"# hidden check '{m.get('grade_id', '?')}' ({m.get('points', 0):g} points): {result}; its code is not shown",
        ]))
        for out in errors:
            out.traceback = [f"{out.ename}: {out.evalue}"]
        return cell, resources
