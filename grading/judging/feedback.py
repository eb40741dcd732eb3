"""Feedback without the hidden tests: `nbgrader generate_feedback` renders the autograded notebook, which holds
the hidden tests' code. `HideHiddenTests` replaces each hidden check's source with its one-line docstring,
name and points, and cuts its tracebacks (which quote the code) down to the failure message.
`FeedbackHTMLExporter` renders the page about three times faster than nbconvert's exporter, and wraps long
output lines (failure messages) instead of letting them run off the page.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from grading.course.layout import HIDDEN_BEGIN, nbgrader_meta


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


_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)", re.IGNORECASE)
_FOCUSABLE = re.compile(r'(<div\b[^>]*\bclass="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*")')
NO_ALT_TEXT = "No description has been provided for this image"
# Long failure messages (one line naming what was expected and what came back) wrap instead of running off the page
# (nbgrader's feedback template is the classic one, .output_area; .jp-OutputArea-output is JupyterLab's)
WRAP_OUTPUTS_CSS = ("<style>/* grading: wrap long output lines */ .output_area pre, .jp-OutputArea-output pre "
                    "{ white-space: pre-wrap; overflow-wrap: anywhere; }</style>")


class CachedHighlight2HTML(Highlight2HTML):
    """nbconvert's code highlighter, remembering what it rendered. A class's notebooks share most of their code
    cells (the examples, the visible tests), and pygments spends more time on them than the rest of the page;
    the HTML of a cell depends only on what the key holds."""

    size = 4096  # entries; the least recently used go first

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rendered: OrderedDict[tuple, str] = OrderedDict()

    def __call__(self, source: str, language: str | None = None, metadata: dict | None = None) -> str:
        magics = metadata.get("magics_language") if metadata else None
        key = (source, language or self.pygments_lexer, magics, repr(sorted(self.extra_formatter_options.items())))
        html = self._rendered.get(key)
        if html is None:
            html = super().__call__(source, language, metadata)
            self._rendered[key] = html
            if len(self._rendered) > self.size:
                self._rendered.popitem(last=False)
        else:
            self._rendered.move_to_end(key)
        return html


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter, minus its last step: parsing the whole page with BeautifulSoup to add alt
    text to images and tabindex to cell wrappers, which cost two thirds of rendering a feedback page. The same
    two edits are made on the rendered text instead; and code it has highlighted once, for any student, is not
    highlighted again."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw) -> tuple[str, dict]:
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlighters = self.__dict__.setdefault("_highlighters", {})  # one per notebook language
        if lexer not in highlighters:
            highlighters[lexer] = CachedHighlight2HTML(pygments_lexer=lexer, parent=self)
        self.register_filter("highlight_code", self.filters.get("highlight_code", highlighters[lexer]))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html = _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT_TEXT}"', html)
        html = html.replace("</head>", WRAP_OUTPUTS_CSS + "\n</head>", 1)
        return _FOCUSABLE.sub(r'\1 tabindex="0"', html), resources
