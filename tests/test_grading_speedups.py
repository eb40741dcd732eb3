"""The class grader's shortcuts change nothing but the time: each gives what the step it replaces gives."""

from __future__ import annotations

import pytest
from nbconvert.filters.highlight import Highlight2HTML

from grading.judging.feedback import CachedHighlight2HTML

SOURCES = [
    "x = torch.ones(2, requires_grad=True)\ny = (x ** 2).sum()\ny.backward()",
    "%%bash\necho hi",
    "",
    "def f(x):\n    return x.missing  # a comment with <html> & 'quotes'",
]


def test_cached_highlighting_gives_nbconvert_s_html():
    """One cached highlighter returns nbconvert's HTML for every source, language and cell metadata, cold and warm."""
    plain, cached = Highlight2HTML(pygments_lexer="ipython3"), CachedHighlight2HTML(pygments_lexer="ipython3")
    for _ in range(2):  # the second round is served from the cache
        for language in (None, "python", "ipython3"):
            for metadata in (None, {}, {"magics_language": "bash"}):
                for source in SOURCES:
                    expected = plain(source, language, metadata)
                    got = cached(source, language, metadata)
                    assert got == expected, (
                        f"highlighting {source!r} ({language}, {metadata}): expected nbconvert's\n{expected}\n"
                        f"got\n{got}\n(a cache key missing something the HTML depends on?)")


def test_highlight_cache_is_bounded():
    """The cache keeps at most `size` entries, dropping the least recently used."""
    cached = CachedHighlight2HTML(pygments_lexer="python")
    cached.size = 3
    for i in range(5):
        cached(f"x = {i}")
    cached("x = 2")  # recently used: kept
    cached("y = 0")
    kept = sorted(key[0] for key in cached._rendered)
    assert kept == ["x = 2", "x = 4", "y = 0"], f"expected the 3 most recently used sources, got {kept}"


@pytest.fixture
def shell(monkeypatch):
    """An IPython shell with the warm parent's transform_cell installed; the class is restored afterwards."""
    monkeypatch.setenv("MPLBACKEND", "Agg")  # the warm parent's module would otherwise choose the inline backend
    from IPython.core.interactiveshell import InteractiveShell

    from grading.class_grading import forkserver

    calls = []
    original = InteractiveShell.transform_cell

    def counting(self, raw_cell):
        calls.append(raw_cell)
        return original(self, raw_cell)

    monkeypatch.setattr(InteractiveShell, "transform_cell", counting)
    forkserver.transform_each_cell_once()
    shell = InteractiveShell.instance()
    yield shell, calls, original
    InteractiveShell.clear_instance()


def test_each_cell_is_transformed_once(shell):
    """Two transforms of the same cell in a row (ipykernel's, then run_cell's) cost one, with the same result."""
    shell, calls, original = shell
    cell = "%time x = 1\ny = x + 1\nprint(y)\n"
    first, second = shell.transform_cell(cell), shell.transform_cell(cell)
    assert first == second == original(shell, cell), "the shortcut changed what a cell is transformed into"
    assert len(calls) == 1, f"expected one real transform of the cell, got {len(calls)}"
    shell.transform_cell(cell)
    assert len(calls) == 2, "a result was used twice: a third transform of the cell must be computed again"


def test_one_line_cells_and_changed_transformers_are_transformed_again(shell):
    """No shortcut for a one-line cell (it may depend on the namespace) or after the transformers changed."""
    shell, calls, _ = shell
    shell.transform_cell("x = 1")
    shell.transform_cell("x = 1")
    assert len(calls) == 2, "a one-line cell was not transformed again"
    cell = "a = 1\nb = 2\n"
    shell.transform_cell(cell)

    def shout(lines):
        return [line.upper() for line in lines]

    shell.input_transformers_post.append(shout)
    try:
        again = shell.transform_cell(cell)
    finally:
        shell.input_transformers_post.remove(shout)
    assert again == "A = 1\nB = 2\n", f"a transformer added between two calls was ignored: got {again!r}"
