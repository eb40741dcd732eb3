"""Drive the course's JupyterLab in Chromium: start `make lab` on a copy of notebooks/, open, run, validate."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with `apt-get install chromium` (Debian/Ubuntu; `make install` does it as root)"
SERVER_TIMEOUT_S = 120
# one cell run by Run All, or one Validate, on a loaded 2-core machine
CELL_TIMEOUT_MS = 120_000


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and Playwright are both installed."""
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM}: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: `make install` installs it from requirements.txt"
    return None


@dataclass
class Lab:
    url: str
    token: str
    notebooks: Path  # the folder the server serves: a copy, so runs and saves never touch the repository

    def tree(self, path: str) -> str:
        # reset: a fresh workspace, not the notebooks an earlier page left open
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _view_of(repo: Path, root: Path) -> None:
    """`root` becomes the repository as `make lab` sees it, with notebooks/ a real copy: every other top-level
    entry is a link back, so the Makefile, the venv and the lab settings are the repository's own."""
    root.mkdir(parents=True)
    for entry in repo.iterdir():
        if entry.name not in ("notebooks", ".git"):
            (root / entry.name).symlink_to(entry)
    shutil.copytree(repo / "notebooks", root / "notebooks")


@contextmanager
def running_lab(repo: Path, workdir: Path, edition: str = "en") -> Iterator[Lab]:
    """`make lab` (EDITION=`edition`) on a free port with a token, serving a copy of notebooks/ under `workdir`;
    stopped on exit."""
    root = workdir / "repo"
    _view_of(repo, root)
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    log_path = workdir / "lab.log"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(workdir / "user-settings")}  # no user settings to hide the course's
    with log_path.open("w") as log:
        lab = subprocess.Popen(["make", "lab", f"LAB_ARGS={args}", f"EDITION={edition}"], cwd=root, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_TIMEOUT_S
            while True:
                if lab.poll() is not None:
                    raise RuntimeError(f"make lab exited with {lab.returncode}:\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {SERVER_TIMEOUT_S} s:\n{log_path.read_text()}")
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5).close()
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.5)
            yield Lab(url, token, root / "notebooks")
        finally:
            os.killpg(lab.pid, signal.SIGTERM)
            try:
                lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
                lab.wait()


def get(lab: Lab, path: str) -> str:
    """The server's answer to GET `path`, as text."""
    with urllib.request.urlopen(f"{lab.url}{path}?token={lab.token}", timeout=30) as response:
        return response.read().decode("utf-8")


# What the page shows, read in one go: JupyterLab keeps every cell in the DOM (content-visibility windowing)
CELLS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(c => ({
    prompt: c.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
    // errors and warnings both render as stderr; an error is the one with a traceback (warnings have none)
    errors: [...c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.textContent).filter(t => /^-{20,}$|Traceback/m.test(t))
        .map(t => t.length > 2000 ? t.slice(0, 1000) + ' ... ' + t.slice(-1000) : t),  // the message is last
    images: c.querySelectorAll('.jp-OutputArea-output img').length,
    drawn: [...c.querySelectorAll('.jp-OutputArea-output img')].filter(i => i.complete && i.naturalWidth > 0).length,
    text: [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent).join('\\n').slice(0, 4000),
    headings: [...c.querySelectorAll('.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3')]
        .map(h => h.textContent.replace(/¶$/, '')),
}))"""


def open_notebook(page: Page, lab: Lab, path: str, n_cells: int) -> None:
    """Open `path` and wait until all its cells are in the page and its kernel is idle."""
    page.goto(lab.tree(path))
    page.wait_for_function(f"document.querySelectorAll('.jp-Notebook .jp-Cell').length >= {n_cells}",
                           timeout=CELL_TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=CELL_TIMEOUT_MS, state="attached")


def _menu(page: Page, menu: str, item: str) -> None:
    page.click(f'.lm-MenuBar-itemLabel:text-is("{menu}")')
    page.click(f'.lm-Menu-itemLabel:text-is("{item}")')


def open_next(page: Page, lab: Lab, path: str, n_cells: int) -> None:
    """Open `path` in the JupyterLab already on the page as a student opens another notebook: the open tabs
    closed (File > Close All Tabs), then File > Open from Path…; a page that shows no JupyterLab is loaded anew.
    One page for every notebook spares Chromium JupyterLab's start (about 4 s of CPU a notebook)."""
    if not page.url.startswith(f"{lab.url}/lab"):
        open_notebook(page, lab, path, n_cells)
        return
    page.keyboard.press("Escape")  # a dialog an earlier step left open
    _menu(page, "File", "Close All Tabs")
    page.wait_for_selector(".jp-NotebookPanel", state="detached", timeout=CELL_TIMEOUT_MS)
    _menu(page, "File", "Open from Path…")
    page.wait_for_selector(".jp-Dialog input").fill(path)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.jp-Notebook .jp-Cell').length >= {n_cells}",
                           timeout=CELL_TIMEOUT_MS)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=CELL_TIMEOUT_MS, state="attached")


def cells(page: Page) -> list[dict]:
    return page.evaluate(CELLS_JS)


def run_all(page: Page, menu: tuple[str, str] = ("Run", "Run All Cells")) -> None:
    """Run > Run All Cells (`menu`: its labels in the interface's language), as a student does, and wait for the
    kernel to go back to idle."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _menu(page, *menu)
    with suppress(PlaywrightTimeout):  # a fast first cell may finish before the indicator is seen busy
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=busy]", timeout=10_000, state="attached")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=CELL_TIMEOUT_MS, state="attached")


def validate(page: Page) -> str:
    """Press nbgrader's Validate button and return the text of the dialog it opens (left open for a screenshot)."""
    page.click('.jp-NotebookPanel-toolbar .jp-Toolbar-item:has-text("Validate")')
    dialog = page.wait_for_selector(".jp-Dialog", timeout=CELL_TIMEOUT_MS)
    return dialog.text_content() or ""


DIRTY_TAB = ".lm-TabBar-tab.jp-mod-current.jp-mod-dirty"  # the notebook's tab while it has unsaved changes


def type_answer(page: Page, index: int, text: str) -> None:
    """Replace the source of cell `index` in its editor: select all, then the text goes in as one paste does
    (typed key by key, the editor's auto-indent and bracket closing would change it)."""
    page.click(f'.jp-Notebook .jp-Cell[data-windowed-list-index="{index}"] .cm-content')
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    page.wait_for_selector(DIRTY_TAB)  # the edit reached the notebook model
    page.keyboard.press("Escape")  # back to command mode, where Ctrl+S saves the notebook


def save(page: Page) -> None:
    """Ctrl+S, and wait for the server to finish writing: jupyter_server's "atomic" save truncates the file and
    writes it in place, so a reader before the response can find it empty."""
    with page.expect_response(lambda r: r.request.method == "PUT" and "/api/contents/" in r.url,
                              timeout=CELL_TIMEOUT_MS):
        page.keyboard.press("Control+s")
    page.wait_for_selector(DIRTY_TAB, state="detached", timeout=CELL_TIMEOUT_MS)


def raises_exception_cells(nb) -> set[int]:
    """The cells that show an error on purpose."""
    return {i for i, c in enumerate(nb.cells) if "raises-exception" in c.metadata.get("tags", [])}
