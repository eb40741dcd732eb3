"""The class grader's shortcuts change nothing but the time: each gives what the step it replaces gives."""

from __future__ import annotations

import time

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


def _torch_traceback() -> list[str]:
    """IPython's coloured traceback of an error raised inside torch (a second backward through a freed graph)."""
    import sys

    import torch
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.ultratb import AutoFormattedTB

    cell = "w = torch.ones(1, requires_grad=True)\ny = (w * w).sum()\ny.backward()\ny.backward()\n"
    formatter = AutoFormattedTB(mode=InteractiveShell.xmode.default_value,
                                theme_name=InteractiveShell.colors.default_value, tb_offset=1)
    try:
        exec(compile(cell, "<cell>", "exec"), {"torch": torch})  # noqa: S102 (the test's own code)
    except RuntimeError:
        return formatter.structured_traceback(*sys.exc_info())
    raise AssertionError("the cell was meant to raise")


def test_cached_traceback_highlighting_gives_ipython_s_traceback(monkeypatch):
    """Tracebacks coloured through the warm parent's cache equal IPython's own, cold and warm; the second is served
    from the cache (no lexing)."""
    import pygments
    import stack_data.core

    from grading.class_grading import forkserver

    expected = _torch_traceback()
    assert any("\x1b[" in line for line in expected), "the reference traceback has no colours: nothing is compared"
    monkeypatch.setattr(stack_data.core, "_pygmented_with_ranges", stack_data.core._pygmented_with_ranges)
    forkserver.cache_traceback_highlighting()
    lexed = []
    original_highlight = pygments.highlight
    monkeypatch.setattr(pygments, "highlight", lambda *a: lexed.append(a) or original_highlight(*a))
    assert _torch_traceback() == expected, "the cached highlighting changed the traceback"
    assert len(lexed) >= 3, f"expected the cell's and torch's frames to be lexed once, got {len(lexed)} lexings"
    lexed.clear()
    assert _torch_traceback() == expected, "the traceback served from the cache differs from IPython's"
    assert not lexed, f"the same traceback again: expected every frame from the cache, got {len(lexed)} lexings"


@pytest.mark.e2e
def test_warm_kernel_client_is_ready_like_jupyter_client_s():
    """The class grader's kernel client returns from wait_for_ready with the kernel answering, its kernel_info
    handled and IOPub connected and drained (no status message of the start left over for the first cell)."""
    import asyncio
    import queue

    from jupyter_client.manager import AsyncKernelManager

    from grading.class_grading.warm import WarmKernelClient

    async def start_and_run():
        km = AsyncKernelManager(kernel_name="python3", client_factory=WarmKernelClient)
        await km.start_kernel()
        kc = km.client()
        assert isinstance(kc, WarmKernelClient)
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            leftover = []
            while True:
                try:
                    leftover.append(await kc.iopub_channel.get_msg(timeout=0.3))
                except queue.Empty:
                    break
            reply = await kc.execute_interactive("x = 6 * 7", timeout=30)
            value = await kc.execute_interactive("print(x)", timeout=30,
                                                 output_hook=lambda m: outputs.append(m))
            return leftover, reply, value
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    outputs: list = []
    leftover, reply, value = asyncio.run(start_and_run())
    assert not leftover, f"IOPub still held messages of the start: {[m['msg_type'] for m in leftover]}"
    assert reply["content"]["status"] == "ok" and value["content"]["status"] == "ok"
    printed = [m["content"].get("text") for m in outputs if m["msg_type"] == "stream"]
    assert printed == ["42\n"], f"expected the cell's output '42', got {printed}"


@pytest.mark.e2e
def test_warm_kernel_client_does_not_wait_for_an_idle_status_that_was_lost():
    """When the idle status of the first kernel_info is lost (published before IOPub was connected), wait_for_ready
    confirms a later round and returns: it does not wait out its drain deadline for the lost one."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from grading.class_grading.warm import WarmKernelClient

    class LosesFirstIdle(WarmKernelClient):
        drain_deadline_s = 30.0  # the old wait for every earlier round's idle status took all of it
        rounds = 0

        async def _idle_after(self, request_id, wait=0.02):
            self.rounds += 1
            return False if self.rounds == 1 else await super()._idle_after(request_id, wait)

    async def start():
        km = AsyncKernelManager(kernel_name="python3", client_factory=LosesFirstIdle)
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            started = time.monotonic()
            await kc.wait_for_ready(timeout=60)
            return kc.rounds, time.monotonic() - started
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    rounds, waited = asyncio.run(start())
    assert rounds >= 2, f"expected a second kernel_info round after the lost idle status, got {rounds}"
    assert waited < 15, (f"wait_for_ready took {waited:.1f} s: it waited for the idle status of the round before the "
                         "confirmed one, which never comes (expected the 30 s drain deadline not to be spent)")


def test_gradebooks_of_one_database_share_an_engine_and_still_work(monkeypatch, tmp_path):
    """After one_engine_per_database, two Gradebooks on one file share one engine (its compiled SQL), each sees
    what the other committed, and closing one (nested in the other) leaves the other working."""
    import nbgrader.api
    from nbgrader.api import Gradebook

    from grading.class_grading.worker import one_engine_per_database

    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)
    one_engine_per_database()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as outer:
        outer.add_student("ada")
        with Gradebook(url) as inner:
            assert inner.engine is outer.engine, "a second Gradebook on the same file got its own engine"
            assert [s.id for s in inner.students] == ["ada"]
            inner.add_student("grace")
        assert sorted(s.id for s in outer.students) == ["ada", "grace"], "the outer Gradebook broke on the inner close"
    other = tmp_path / "other.db"
    with Gradebook(f"sqlite:///{other}") as gb:
        assert gb.engine is not outer.engine, "two databases shared one engine"
