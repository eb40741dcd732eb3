"""The sandbox's command line: what a kernel can see, whatever folder the project and the course live in."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grading.judging import sandbox


def _mounts(cmd: list[str]) -> list[tuple[str, str]]:
    """(kind, target) of every mount, in the order bwrap applies them."""
    found, i = [], 0
    while i < len(cmd):
        if cmd[i] in ("--ro-bind", "--bind"):
            found.append((cmd[i], cmd[i + 2]))
            i += 3
        elif cmd[i] in ("--tmpfs", "--proc", "--dev"):
            found.append((cmd[i], cmd[i + 1]))
            i += 2
        else:
            i += 1
    return found


@pytest.mark.skipif(sandbox.sandbox_problem() is not None, reason="no working bubblewrap here")
def test_binds_are_not_hidden_by_later_mounts(tmp_path, monkeypatch):
    """No bound path (the Python installation, the connection file, the socket folder) is covered by a tmpfs
    mounted after it: with the venv or the course under /tmp, a late /tmp tmpfs hid the interpreter."""
    venv = tmp_path / "clone" / ".venv"  # a fresh clone under /tmp, as CI may make
    venv.mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(venv))
    km = sandbox.SandboxedKernelManager(kernel_name="python3")
    km.cwd = str(tmp_path / "autograded" / "student" / "nb")
    km.connection_file = str(tmp_path / "kernel.json")
    cmd = km.format_kernel_cmd()
    mounts = _mounts(cmd)
    hidden = [(target, later) for i, (kind, target) in enumerate(mounts) if kind in ("--ro-bind", "--bind")
              for kind2, later in mounts[i + 1:] if kind2 == "--tmpfs" and Path(target).is_relative_to(later)]
    assert not hidden, f"bound paths hidden by a later tmpfs: {hidden}"
    assert ("--ro-bind", sys.prefix) in mounts
    assert ("--tmpfs", km.cwd) in mounts, "the working folder must be an empty tmpfs"
    assert "--unshare-all" in cmd and "--clearenv" in cmd and "--cap-drop" in cmd
    asyncio.run(km._async_cleanup_resources())


@pytest.mark.skipif(sandbox.sandbox_problem() is not None, reason="no working bubblewrap here")
def test_kernel_socket_folder_is_made_at_start_and_removed_at_shutdown(monkeypatch):
    """A manager made only to read its limits (the class grader's worker does) leaves no folder in the temporary
    folder; one that was about to start a kernel removes its socket folder when cleaned up, also by the public
    cleanup_resources nbclient calls for a dead kernel, and keeps it on a restart."""
    short = Path(tempfile.mkdtemp(prefix="sbx-", dir="/tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(short))
    try:
        sandbox.SandboxedKernelManager(kernel_name="python3").limits()
        assert not list(short.iterdir()), f"a manager that started nothing left {list(short.iterdir())}"
        km = sandbox.SandboxedKernelManager(kernel_name="python3")
        km.connection_file = str(short / "kernel.json")
        km.format_kernel_cmd()
        sockets = [p for p in short.iterdir() if p.name.startswith("grading-kernel-")]
        assert len(sockets) == 1 and km.ip.startswith(str(sockets[0])), (sockets, km.ip)
        asyncio.run(km._async_cleanup_resources(restart=True))
        assert sockets[0].is_dir(), "a restart must keep the socket folder the kernel is bound to"
        asyncio.run(km.cleanup_resources())  # what nbclient calls after a kernel died (os._exit, a limit)
        assert not sockets[0].exists(), "the socket folder outlived its kernel"
    finally:
        shutil.rmtree(short, ignore_errors=True)


def test_refusal_names_the_fix_and_the_opt_out(monkeypatch):
    """Without bwrap the grader refuses, saying how to install it and how to opt out; the opt-out is honoured."""
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox.sandbox_problem.cache_clear()
    try:
        monkeypatch.delenv(sandbox.OPT_OUT_ENV, raising=False)
        with pytest.raises(sandbox.SandboxUnavailable) as err:
            sandbox.require_sandbox()
        assert "apt-get install bubblewrap" in str(err.value) and sandbox.OPT_OUT_ENV in str(err.value)
        monkeypatch.setenv(sandbox.OPT_OUT_ENV, "1")
        assert sandbox.require_sandbox() is False
    finally:
        sandbox.sandbox_problem.cache_clear()


def test_execute_uses_only_sandboxed_kernel_managers():
    """nbgrader's Execute passes its own kernel manager class, which beats configuration; the course's
    SandboxedExecute starts the sandboxed one by default, the configured warm one for the class grader, and
    refuses a manager that does not run kernels in the sandbox."""
    from traitlets.config import Config

    assert sandbox.SandboxedExecute().kernel_manager_class is sandbox.SandboxedKernelManager
    config = Config()
    config.SandboxedExecute.kernel_manager = "grading.class_grading.warm.WarmKernelManager"
    assert sandbox.SandboxedExecute(config=config).kernel_manager_class.__name__ == "WarmKernelManager"
    config.SandboxedExecute.kernel_manager = "jupyter_client.manager.AsyncKernelManager"
    with pytest.raises(sandbox.SandboxUnavailable, match="does not run kernels in the sandbox"):
        sandbox.SandboxedExecute(config=config)


@pytest.mark.skipif(sandbox.sandbox_problem() is not None, reason="no working bubblewrap here")
def test_kernel_keeps_the_graders_choice_of_cpu_kernels(tmp_path, monkeypatch):
    """torch in the sandbox uses the CPU kernels the grader was told to use (ATEN_CPU_CAPABILITY,
    MKL_ENABLE_INSTRUCTIONS), so an answer and its reference round alike; the rest of the environment stays out."""
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    monkeypatch.setenv("MKL_ENABLE_INSTRUCTIONS", "SSE4_2")
    monkeypatch.setenv("GRADER_ONLY_SETTING", "1")
    probe = ("import os, torch; print(torch.backends.cpu.get_cpu_capability(), os.environ.get('MKL_ENABLE_INSTRUCTIONS'),"
             " 'GRADER_ONLY_SETTING' in os.environ)")
    work, ipc = tmp_path / "work", tmp_path / "ipc"
    ipc.mkdir()
    cmd = sandbox.bwrap_command(str(work), str(ipc), [], [sys.executable, "-c", probe])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["DEFAULT", "SSE4_2", "False"], (
        f"expected the kernel on torch's DEFAULT kernels, MKL on SSE4_2 and no other grader setting, got {proc.stdout!r}")
