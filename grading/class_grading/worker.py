"""One grading worker of `python -m grading autograde`: nbgrader's own Autograde and GenerateFeedback, run
on a private copy of the gradebook, with kernels forked from a warm parent.

The worker never writes the course's gradebook or its autograded/ and feedback/ folders. It grades into a
staging folder and a private copy of the gradebook, then sends what nbgrader wrote there (scores, comments,
flags, late penalties, the submission time) to the main process, the only writer of the real gradebook.
Because the private copy starts as a copy of the real one, nbgrader sees the same assignments, students,
extensions and manual grades it would see when run directly, and so computes the same values.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import logging
import os
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

WARM_KERNEL_MANAGER = "grading.class_grading.warm.WarmKernelManager"


@dataclass
class Task:
    student: str
    assignment: str


@dataclass
class Result:
    student: str
    assignment: str
    status: str  # graded | error
    detail: str = ""
    timestamp: object = None  # the submission's datetime, as nbgrader parsed it, or None
    notebooks: dict = field(default_factory=dict)  # name -> flagged, late penalty, grades, comments
    flags: list = field(default_factory=list)  # the grading flags of the autograded notebooks
    worker: int = 0
    grader_cpu: float = 0.0  # CPU seconds of this worker's nbgrader (sanitize, autograde, feedback)
    kernel_cpu: float = 0.0  # CPU seconds of the kernel (warm kernels only: a cold one runs in a sandbox of its own)


class _ErrorRecords(logging.Handler):
    """nbgrader logs the real cause of a failure (a traceback) and then raises a generic exception."""

    EXCEPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit))(?::.*)?$")

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def cause(self) -> str:
        """The last exception line of the logged tracebacks, e.g. 'zmq.error.ZMQError: File name too long'."""
        lines = [line.strip() for m in self.messages for line in m.splitlines() if self.EXCEPTION_LINE.match(line)]
        return lines[-1] if lines else ""


def reusable(converter_class):
    """An nbgrader converter that keeps its exporter between students, as one `nbgrader` command does for a
    whole class; a new one per student would recompile the feedback's HTML templates every time."""

    class Reusable(converter_class):
        def start(self) -> None:
            from nbconvert.writers import FilesWriter

            self.init_notebooks()
            if "exporter" not in self._trait_values:
                self.writer = FilesWriter(parent=self, config=self.config)
                self.exporter = self.exporter_class(parent=self, config=self.config)
                for pp in self.preprocessors:
                    self.exporter.register_preprocessor(pp)
            previous = os.getcwd()
            os.chdir(self.coursedir.root)
            try:
                self.convert_notebooks()
            finally:
                os.chdir(previous)

    Reusable.__name__ = converter_class.__name__
    return Reusable


def one_engine_per_database() -> None:
    """Every nbgrader Gradebook of this process on one database shares one SQLAlchemy engine.

    nbgrader opens a Gradebook, so a new engine, about ten times per notebook, and a new engine starts with an
    empty cache of compiled SQL: the same queries were compiled again for every notebook, a fifth of the
    worker's own CPU time. Closing a Gradebook still returns and closes its connections (engine.dispose());
    only the engine, with its compiled statements, lives on."""
    import nbgrader.api
    from sqlalchemy import create_engine

    engines: dict[tuple, object] = {}

    def shared_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create_engine(url, **kwargs)
        return engines[key]

    nbgrader.api.create_engine = shared_engine


def warm_up() -> None:
    """Import torch, which grading any notebook of the course imports in the worker (the tamper screen resolves
    the grader cells' torch names, the hidden tests use it): 1.5 s of CPU. Done while the warm parent starts, it
    costs no wall time where a core is free. Not pyplot or torch._dynamo (torch imports it itself for an
    optimizer or torch.func): only some notebooks need them, and where every core is busy an import no notebook
    of the run needs is 0.5 to 0.9 s of CPU lost."""
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # as HiddenTestRunner sets it: the tests here never see a GPU
    import torch  # noqa: F401


def copy_gradebook(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (the backup API, not a file copy that could catch a write)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


class Worker:
    def __init__(self, course: Path, staging: Path, index: int, warm: bool):
        from nbgrader.apps import AutogradeApp
        from nbgrader.converters import Autograde, GenerateFeedback

        self.course, self.staging, self.index, self.warm = course, staging, index, warm
        one_engine_per_database()
        # scratch, so on a RAM disk where there is one: nbgrader commits after every cell
        scratch = Path("/dev/shm") if Path("/dev/shm").is_dir() else staging
        self.db = Path(tempfile.mkdtemp(prefix="grading-", dir=scratch)) / f"gradebook-{index}.db"
        copy_gradebook(course / "gradebook.db", self.db)
        os.chdir(course)  # nbgrader reads ./nbgrader_config.py, as when run in the course folder
        self.app = AutogradeApp()
        self.app.initialize([
            f"--CourseDirectory.root={course}",
            f"--CourseDirectory.db_url=sqlite:///{self.db}",
            f"--CourseDirectory.autograded_directory={staging / 'autograded'}",
            f"--CourseDirectory.feedback_directory={staging / 'feedback'}",
            "--Autograde.force=True", "--GenerateFeedback.force=True",
            *([f"--SandboxedExecute.kernel_manager={WARM_KERNEL_MANAGER}"] if warm else []),
            # a warm kernel's sandbox is wiped before the next fork: a graceful shutdown only costs its
            # teardown and jupyter_client's 0.1 s polls; every output has arrived by then
            f"--SandboxedExecute.shutdown_kernel={'immediate' if warm else 'graceful'}",
            "--log-level=WARN",
        ])
        self.autograde = reusable(Autograde)(coursedir=self.app.coursedir, parent=self.app)
        self.feedback = reusable(GenerateFeedback)(coursedir=self.app.coursedir, parent=self.app)
        self.server = None
        if warm:
            self._start_server()  # returns while the warm parent imports torch in its sandbox
        warm_up()  # meanwhile this process imports torch (in parallel where a core is free)
        # what was built so far (nbgrader, torch, the warm server's client) lives as long as the worker: kept out of
        # the garbage collector's reach, a collection walks only what grading a notebook allocates
        gc.collect()
        gc.freeze()

    def _start_server(self) -> None:
        from grading.class_grading.warm import WarmServer, use_server
        from grading.judging.sandbox import SandboxedKernelManager

        limits = SandboxedKernelManager(parent=self.app).limits()
        self.server = WarmServer(limits, self.staging / f"worker-{self.index}.log", wait=False)
        use_server(self.server)

    def close(self) -> None:
        shutil.rmtree(self.db.parent, ignore_errors=True)
        if self.server is not None:
            self.server.close()
            self.server = None

    def grade(self, task: Task) -> Result:
        from nbgrader.api import Gradebook

        if self.warm and not self.server.alive():
            self.server.close()
            self._start_server()
        for folder in ("autograded", "feedback"):
            shutil.rmtree(self.staging / folder / task.student / task.assignment, ignore_errors=True)
        cpu_before = time.process_time()
        kernel_before = self.server.kernel_cpu if self.server else 0.0
        coursedir = self.app.coursedir
        coursedir.student_id, coursedir.assignment_id = task.student, task.assignment
        errors = _ErrorRecords()
        self.app.log.addHandler(errors)
        try:
            self.autograde.start()
            self.feedback.start()
        except Exception as err:  # noqa: BLE001 (nbgrader's failure for this student is reported, not fatal)
            logging.getLogger("grading").error("%s/%s: %s", task.student, task.assignment, traceback.format_exc())
            return Result(task.student, task.assignment, "error", errors.cause() or str(err), worker=self.index)
        finally:
            self.app.log.removeHandler(errors)
        result = Result(task.student, task.assignment, "graded", worker=self.index,
                        grader_cpu=time.process_time() - cpu_before,
                        kernel_cpu=(self.server.kernel_cpu if self.server else 0.0) - kernel_before)
        with Gradebook(f"sqlite:///{self.db}", coursedir.course_id) as gb:
            sub = gb.find_submission(task.assignment, task.student)
            result.timestamp = sub.timestamp
            for nb in sub.notebooks:
                result.notebooks[nb.name] = {
                    "flagged": nb.flagged,
                    "late_submission_penalty": nb.late_submission_penalty,
                    "grades": {g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
        for path in sorted((self.staging / "autograded" / task.student / task.assignment).glob("*.ipynb")):
            cells = nbformat.read(path, as_version=4).cells
            result.flags += [f for c in cells[:1] for f in c.metadata.get("grading_flags", [])]
        return result


def run(course: str, staging: str, index: int, warm: bool, tasks, results) -> None:
    """The worker process: grade tasks from `tasks` until a None arrives, put a Result for each on `results`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # the main process stops a worker with SIGTERM: leave through `finally`, which stops the sandbox
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    die_with_parent()
    log = open(Path(staging) / f"worker-{index}.log", "a")  # noqa: SIM115 (lives as long as the process)
    os.dup2(log.fileno(), 2)  # nbgrader's and the kernels' chatter goes to the log, not over the progress bar
    sys.stderr = log
    faulthandler.register(signal.SIGUSR1, file=log)  # `kill -USR1 <worker>` writes where it is stuck
    logging.basicConfig(stream=log, level=logging.WARNING)
    worker = None
    code = 0
    try:
        worker = Worker(Path(course), Path(staging), index, warm)
        results.put(("ready", index))
        while (task := tasks.get()) is not None:
            results.put(("result", worker.grade(task)))
    except SystemExit as stop:  # SIGTERM: the main process stops us, or is gone
        code = stop.code if isinstance(stop.code, int) else 1
        results.cancel_join_thread()  # so do not wait for it to read what is still queued
    except BaseException:  # noqa: BLE001 (the main process must hear why its worker stopped)
        results.put(("died", index, traceback.format_exc()))
        code = 1
    finally:
        if worker is not None:
            worker.close()
        log.flush()
    results.close()
    results.join_thread()  # every result reaches the pipe before the process ends
    os._exit(code)  # not sys.exit: no interpreter teardown waiting on threads of a lost parent


def die_with_parent() -> None:
    """Get SIGTERM when the main process dies, however it dies (Linux), so no worker outlives it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the call above
        sys.exit(143)
