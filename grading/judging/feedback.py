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
    """Show each hidden check's name, result and message, never its code. On a hand-in of the Chinese edition
    (metadata course.language "zh"), the line about the check is in Chinese, and a failure that names a
    misconception is followed by its Chinese explanation."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        self._chinese = nb.metadata.get("course", {}).get("language") == "zh"
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if cell.cell_type != "code" or HIDDEN_BEGIN not in cell.source:
            return cell, resources
        m = nbgrader_meta(cell)
        errors = [o for o in cell.outputs if o.output_type == "error"]
        gid, points = m.get("grade_id", "?"), m.get("points", 0)
        if getattr(self, "_chinese", False):
            line = f"# 隐藏测试 '{gid}'（{points:g} 分）：{'未通过' if errors else '通过'}；不显示其代码"
        else:
            line = f"# hidden check '{gid}' ({points:g} points): {'failed' if errors else 'passed'}; its code is not shown"
        cell.source = "\n".join(filter(None, [_docstring(cell.source), line]))
        for out in errors:
            out.traceback = [f"{out.ename}: {out.evalue}"]
            if getattr(self, "_chinese", False):
                out.traceback += [f"误区：{explained}" for explained in _chinese_explanations(str(out.evalue))]
        return cell, resources


def _chinese_explanations(message: str) -> list[str]:
    """The Chinese explanation of each misconception a failure message names (`other` has none: no known cause)."""
    from grading.course.misconceptions import OTHER, TAG
    from grading.course.misconceptions_zh import GLOSSARY_ZH

    return [GLOSSARY_ZH[mc] for mc in TAG.findall(message) if mc != OTHER and mc in GLOSSARY_ZH]


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
