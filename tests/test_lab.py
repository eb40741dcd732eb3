"""`make lab` starts JupyterLab on the course: start it, list the notebooks from the server, stop it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO
from course_contract import NOTEBOOKS

pytestmark = pytest.mark.e2e
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_make_lab_serves_the_course(tmp_path):
    """The server started by `make lab` lists the four student notebooks, loads the nbgrader extension and serves the
    course's JupyterLab settings (no news question, no update check)."""
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    log = (tmp_path / "lab.log").open("w")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings")}  # no user settings to hide the course's
    lab = subprocess.Popen(["make", "lab", f"LAB_ARGS={args}"], cwd=REPO, env=env, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        listing, deadline = None, time.monotonic() + 120
        while listing is None:
            assert lab.poll() is None, f"make lab exited with {lab.returncode}:\n{(tmp_path / 'lab.log').read_text()}"
            assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s:\n" + (
                tmp_path / "lab.log").read_text()
            try:
                listing = json.loads(_get(f"{base}/api/contents?token={token}"))
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        names = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
        assert names == [f"{n}.ipynb" for n in NOTEBOOKS], f"the server lists {names}"
        page = _get(f"{base}/lab?token={token}")
        assert "@jupyter/nbgrader" in page, "the nbgrader JupyterLab extension is not in the page's extensions"
        served = json.loads(_get(f"{base}/lab/api/settings/{NOTIFICATION}?token={token}"))
        defaults = {key: served["schema"]["properties"][key]["default"] for key in ("fetchNews", "checkForUpdates")}
        expected = {"fetchNews": "false", "checkForUpdates": False}
        assert defaults == expected, (f"expected the course's first-run settings {expected} (lab-settings/overrides.json, "
                                      f"installed by postBuild), got {defaults}: a news popup over the first notebook")
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
        log.close()
