"""The grading kernel: student code runs inside bubblewrap, with limits, and a kernel that dies or hangs
costs only the checks that had not run yet.

nbgrader executes a submission in a Jupyter kernel started by its Execute preprocessor. Here:

- `SandboxedKernelManager` starts that kernel under `bwrap`: no network, its own pid namespace (nothing it
  spawns outlives it), an unprivileged uid with no capabilities, an empty environment (but for the grader's
  choice of CPU kernels, CPU_KERNEL_ENV), the system and the Python installation read-only, and nothing of
  the course: not `grading/source`, not the gradebook, not other students' folders, not even the submission
  file it is running (its working folder is an empty tmpfs). `prlimit` caps address space, CPU seconds, file size and processes. The kernel talks to the
  grader over Unix sockets (ZeroMQ ipc), because TCP on localhost does not cross a network namespace.
- `SandboxedExecute` replaces nbgrader's Execute. It runs the student's cells in that kernel and each graded
  test cell in this process (grading/judging/runner.py). When the kernel dies (os._exit, a signal, a limit) or
  a cell times out, the kernel is stopped and every later cell gets an error output, so the checks that had
  not run score 0 and the notebook is flagged for review instead of failing the whole run; when that happens
  inside a hidden check, only that check scores 0 and a fresh kernel, having run the cells before again,
  takes over.

Where bwrap is missing or cannot create namespaces, grading refuses to start a kernel unless the instructor
opts out with GRADING_ALLOW_UNSANDBOXED=1 (then student code runs with the grader's own rights).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import zmq
import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Type, default

from grading.course.layout import nbgrader_meta

OPT_OUT_ENV = "GRADING_ALLOW_UNSANDBOXED"
# torch's OpenMP threads spin for a while after each parallel region; the grader and the kernel take turns on
# every call of a hidden test, so each would burn the other's CPU. Set before torch is imported here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
FLAGS_KEY = "grading_flags"  # notebook metadata: what a human should look at (see grading/judging/screen.py)
# Which CPU kernels torch (ATen) and its BLAS (MKL) use: the kernel keeps the grader's choice, so that an answer
# and the reference it is compared with are computed with the same rounding when an instructor pins them.
CPU_KERNEL_ENV = ("ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS")


class SandboxUnavailable(RuntimeError):
    """No working bubblewrap, and the instructor did not opt out."""


@functools.cache
def sandbox_problem() -> str | None:
    """Why the sandbox cannot run here, or None when it can."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (Debian/Ubuntu)"
    probe = subprocess.run([bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--ro-bind", "/", "/",
                            "--proc", "/proc", "--dev", "/dev", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"bwrap cannot create namespaces here ({probe.stderr.strip() or probe.returncode})"
    return None


def opted_out() -> bool:
    return os.environ.get(OPT_OUT_ENV, "") not in ("", "0")


def require_sandbox() -> bool:
    """True when kernels will be sandboxed; raise SandboxUnavailable when they cannot be and nobody opted out."""
    problem = sandbox_problem()
    if problem is None:
        return True
    if opted_out():
        return False
    raise SandboxUnavailable(
        f"Refusing to grade: student code would run unsandboxed, with your rights ({problem}). "
        f"Install bubblewrap, or set {OPT_OUT_ENV}=1 to grade without a sandbox on a machine you trust "
        "to be disposable.")


def _ro_binds() -> list[str]:
    paths = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", sys.base_prefix, sys.prefix,
             str(Path(sys.executable).resolve().parent.parent)]
    args: list[str] = []
    for p in dict.fromkeys(paths):
        if os.path.exists(p):
            args += ["--ro-bind", p, p]
    return args


def short_tempdir(prefix: str) -> str:
    """A new temporary folder with a path short enough for Unix sockets (108 bytes, the kernel's sockets
    inside included), even when TMPDIR is long."""
    base = tempfile.gettempdir()
    return tempfile.mkdtemp(prefix=prefix, dir=base if len(base) <= 40 else "/tmp")


def bwrap_command(workdir: str, ipc_dir: str, ro_files: list[str], command: list[str]) -> list[str]:
    """`command` inside bubblewrap (see the module docstring): `workdir` is an empty tmpfs and its working
    folder, `ipc_dir` the one folder shared with the grader (the kernel's sockets)."""
    return [
        "bwrap", "--die-with-parent", "--new-session", "--unshare-all", "--unshare-user",
        "--uid", "1000", "--gid", "1000", "--cap-drop", "ALL",
        # /tmp first: the binds below may lie under it (a venv or a course in /tmp) and must stay visible
        "--tmpfs", "/tmp", *_ro_binds(),
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm",
        "--tmpfs", workdir, "--chdir", workdir,
        *[arg for f in ro_files for arg in ("--ro-bind", f, f)],
        "--bind", ipc_dir, ipc_dir,
        "--clearenv", "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "PYDEVD_DISABLE_FILE_VALIDATION", "1",
        "--setenv", "OMP_WAIT_POLICY", os.environ.get("OMP_WAIT_POLICY", "PASSIVE"),
        *[arg for name in (*CPU_KERNEL_ENV, "LD_LIBRARY_PATH") if name in os.environ
          for arg in ("--setenv", name, os.environ[name])],  # LD_LIBRARY_PATH: a relocated interpreter's libpython
        "--",
        *command,
    ]


def bounded_linger_context() -> zmq.asyncio.Context:
    """A ZeroMQ context whose sockets drop unsent messages after 1 s when closed. With the default (wait
    forever), a kernel that failed to start leaves messages no one will take, and the context's cleanup at
    garbage collection then blocks the grading process for good."""
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.LINGER, 1000)
    return context


class SandboxedKernelManager(AsyncKernelManager):
    """An ipykernel started inside bubblewrap with resource limits (see the module docstring)."""

    runs_in_sandbox = True  # what SandboxedExecute requires of a kernel manager (unless the instructor opted out)

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True
        return bounded_linger_context()

    memory_mb = Integer(4096, help="Address-space limit of the kernel, in MiB").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time limit of the kernel, in seconds").tag(config=True)
    max_processes = Integer(64, help="Process limit (enforced when the grader does not run as root)").tag(config=True)
    max_file_mb = Integer(64, help="Largest file the kernel may write, in MiB").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sandboxed = require_sandbox()
        self._ipc_dir: str | None = None

    def _open_ipc_dir(self) -> str:
        """The kernel's socket folder, made when a kernel is about to start (a manager made only to read its
        limits must not leave a folder behind) and kept across restarts."""
        if self._ipc_dir is None:
            self._ipc_dir = short_tempdir("grading-kernel-")
            self.transport = "ipc"
            self.ip = os.path.join(self._ipc_dir, "kernel")
        return self._ipc_dir

    def limits(self) -> list[str]:
        return ["prlimit", f"--as={self.memory_mb * 2**20}", f"--cpu={self.cpu_seconds}",
                f"--nproc={self.max_processes}", f"--fsize={self.max_file_mb * 2**20}", "--"]

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.sandboxed:
            return cmd
        workdir = os.path.abspath(getattr(self, "cwd", None) or os.getcwd())
        return bwrap_command(workdir, self._open_ipc_dir(), [self.connection_file], [*self.limits(), *cmd])

    async def _async_pre_start_kernel(self, **kw):
        # remember the working folder nbclient asked for: it becomes the kernel's (empty) tmpfs
        self.cwd = kw.get("cwd") or os.getcwd()
        if self.sandboxed:
            self._open_ipc_dir()  # before the connection file is written: it names the sockets
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._ipc_dir is not None and not restart:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None

    # jupyter_client binds this name to its own base method, and nbclient calls it directly after a kernel that
    # died (there is nothing to shut down): without this line that path skipped the override above
    cleanup_resources = _async_cleanup_resources


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def add_flag(nb: NotebookNode, reason: str, first_cell: int, kind: str = "tamper") -> None:
    """Record, in the notebook's metadata, that the checks from cell `first_cell` on cannot be trusted.

    `kind` says why, for the class summary: tamper (the screen or the structure check), timeout, crash."""
    nb.metadata.setdefault(FLAGS_KEY, []).append({"reason": reason, "first_cell": first_cell, "kind": kind})


class SandboxedExecute(Execute):
    """nbgrader's Execute in the sandboxed kernel; a dead or hung kernel ends execution, not grading."""

    kernel_manager = Type(
        "grading.judging.sandbox.SandboxedKernelManager", klass=AsyncKernelManager,
        help="Kernel manager whose kernels run in the sandbox (its class sets runs_in_sandbox): "
             "SandboxedKernelManager, or the class grader's warm one (grading/class_grading/warm.py)",
    ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # nbgrader's Execute passes kernel_manager_class as an argument, which beats any configuration of it
        if not getattr(self.kernel_manager, "runs_in_sandbox", False):
            raise SandboxUnavailable(f"Refusing to grade: {self.kernel_manager.__name__} does not run kernels in "
                                     "the sandbox")
        self.kernel_manager_class = self.kernel_manager

    tests_in_grader = Bool(
        True, help="Run graded test cells in the grader's process, the student's code behind proxies "
                   "(grading/judging/runner.py); False runs them in the kernel, as stock nbgrader does").tag(config=True)

    max_fresh_kernels = Integer(
        3, help="How many times a kernel that died or hung in a hidden test is replaced in one notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped: str | None = None
        self._runner = None
        self._restarts = 0
        self._kernel_word: list[int] = []  # test cells whose verdict read state the kernel reported
        try:
            nb, resources = super().preprocess(nb, resources, km=km)
        finally:
            if self._runner is not None:
                self._runner.close()
                self._runner = None
        resources["grading_kernel_word"] = self._kernel_word
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if self._stopped is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error_output("NotGraded", f"not run: {self._stopped}")]
            return cell, self.resources
        m = nbgrader_meta(cell) if cell.cell_type == "code" else {}
        if self.tests_in_grader and m.get("grade") and not m.get("solution"):
            return self._test_in_grader(cell, index)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(f"the kernel died while running cell {index} (exit, signal or a resource limit)", index,
                       "crash")
            cell.outputs.append(_error_output("DeadKernelError", self._stopped))
            return cell, self.resources
        except CellTimeoutError:
            self._stop(f"the kernel stopped answering while running cell {index}", index, "timeout")
            cell.outputs.append(_error_output("CellTimeoutError", self._stopped))
            return cell, self.resources
        if cell.cell_type == "code" and any(o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._stop(f"cell {index} ran past the {self.timeout} s time limit", index, "timeout")
        return cell, self.resources

    def _runner_for_kernel(self, index: int):
        from grading.judging.runner import HiddenTestRunner

        if self._runner is None:
            from nbclient.util import run_sync

            info = self.km.get_connection_info(session=False)
            self._runner = HiddenTestRunner(info, lambda: run_sync(self.km.is_alive)(), self.timeout)
            for cell in self.nb.cells[:index]:  # the notebook's setup cells, run here too
                m = nbgrader_meta(cell)
                if cell.cell_type == "code" and m.get("locked") and not m.get("grade") and not m.get("solution"):
                    self._runner.setup(cell.source)
        return self._runner

    def _test_in_grader(self, cell, index):
        from grading.judging.runner import KernelFailure

        runner = self._runner_for_kernel(index)
        runner.student_sources = [c.source for c in self.nb.cells[:index] if c.cell_type == "code" and not (
            nbgrader_meta(c).get("locked") and not nbgrader_meta(c).get("solution"))]
        try:
            cell.outputs, kernel_word = runner.run_cell(cell.source, self.timeout)
        except KernelFailure as failure:
            cell.outputs = [*runner.outputs, _error_output(
                "KernelStopped", f"{failure.reason}; this check scores 0")]
            self._kernel_word.append(index)
            kind = "tamper" if failure.kind == "ended" else failure.kind
            add_flag(self.nb, failure.reason, index, kind)
            self.nb.metadata[FLAGS_KEY][-1]["costs_points"] = False  # the later checks run in a fresh kernel
            if failure.kind != "ended":  # a live kernel carries on; a dead or hung one is replaced
                self._fresh_kernel(index, failure)
            return cell, self.resources
        if kernel_word:
            self._kernel_word.append(index)
        # for the instructor reading a flagged notebook, and for tests/test_autograde.py
        cell.metadata["grading_kernel_word"] = bool(kernel_word)
        return cell, self.resources

    def _fresh_kernel(self, index: int, failure) -> None:
        """Replace a dead or hung kernel with a fresh one that has run the notebook's code cells before `index`
        again (the tests excepted); when that fails too, the remaining checks score 0."""
        import copy

        from nbclient.util import run_sync

        self.log.warning("%s: restarting the kernel and running the cells before cell %d again", failure.reason,
                         index)
        self._runner.reconnect()
        self._restarts += 1
        try:
            if self._restarts > self.max_fresh_kernels:
                raise RuntimeError(f"{self.max_fresh_kernels} fresh kernels were used up")
            run_sync(self.km.restart_kernel)(now=True)
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
            for i, cell in enumerate(self.nb.cells[:index]):
                m = nbgrader_meta(cell)
                if cell.cell_type != "code" or (m.get("grade") and not m.get("solution")):
                    continue
                replay = copy.deepcopy(cell)
                run_sync(self.async_execute_cell)(replay, i, store_history=False)
                if any(o.get("ename") == "CellTimeoutError" for o in replay.outputs):
                    raise CellTimeoutError(f"cell {i} timed out again")
        except Exception as err:  # noqa: BLE001 (no fresh kernel: the rest cannot be graded)
            self.log.warning("no fresh kernel: %s", err)
            self._stop(f"{failure.reason}, and a fresh kernel could not take its place ({type(err).__name__})",
                       index + 1, failure.kind)
            self.nb.metadata[FLAGS_KEY][-1]["costs_points"] = True

    def _stop(self, reason: str, index: int, kind: str) -> None:
        self._stopped = reason
        add_flag(self.nb, reason, index, kind)
        self.log.warning("%s: the remaining cells score 0 and the notebook is flagged", reason)
