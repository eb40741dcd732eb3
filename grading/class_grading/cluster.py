"""Grading on a Dask cluster: `python -m grading autograde --scheduler ADDRESS` or `--cluster local:N`.

Tasks carry their data. The main process reads what a worker needs of the course once (nbgrader_config.py, the
assignments' source and release folders, a snapshot of the gradebook: a `CourseBundle` of bytes) and sends it
to every worker; each task is one submission, its files as bytes. A worker builds a scratch course of its own
from the bundle (once per run), grades the submission there with the same `Worker` as a local run (nbgrader,
the sandbox, warm kernels forked from a warm parent kept for the whole run) and sends back data: the grades,
flags and comments, the autograded notebook and the feedback page. The main process stays the only writer of
the gradebook, autograded/ and feedback/; workers never see the course folder.

Faults: a worker that dies mid-task loses only that task, which the scheduler gives to another worker; a
submission that kills every worker it touches is given up after the scheduler's
`distributed.scheduler.allowed-failures` tries (3 by default) and reported as a crash. Before grading, every
worker is asked for its versions of the packages that decide a grade and for its sandbox: a mismatch or a
worker without bubblewrap stops the run before anything is graded.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import os
import platform
import shutil
import sys
import tempfile
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from grading.class_grading.worker import Result, Task, copy_gradebook
from grading.course.paths import REPO

# the packages whose versions decide a grade: the worker must run the same ones as the main process
PINNED = ("torch", "nbgrader", "numpy", "distributed")
CONNECT_TIMEOUT_S = 10
WINDOW_PER_WORKER = 4  # tasks in flight per worker


class ClusterError(RuntimeError):
    """The cluster cannot grade this course as the main process would: why, in a sentence."""


@dataclass(frozen=True)
class CourseBundle:
    """What a worker needs of the course, as bytes: relative path -> content."""

    files: dict[str, bytes]
    digest: str

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())


@dataclass
class Submission:
    student: str
    assignment: str
    files: dict[str, bytes]  # path relative to submitted/<student>/<assignment>/ -> content


@dataclass
class Graded:
    result: Result
    files: dict[str, bytes] = field(default_factory=dict)  # autograded/... and feedback/... -> content


def _read_tree(root: Path, prefix: str) -> dict[str, bytes]:
    return {f"{prefix}/{p.relative_to(root)}": p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def gradebook_bytes(course: Path) -> bytes:
    """A consistent snapshot of the gradebook, as a local worker takes it (copy_gradebook: SQLite's backup API)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy_gradebook(course / "gradebook.db", Path(tmp) / "gradebook.db")
        return (Path(tmp) / "gradebook.db").read_bytes()


def bundle_course(course: Path, assignments: list[str]) -> CourseBundle:
    files = {"nbgrader_config.py": (course / "nbgrader_config.py").read_bytes(), "gradebook.db": gradebook_bytes(course)}
    for assignment in assignments:
        for folder in ("source", "release"):
            files |= _read_tree(course / folder / assignment, f"{folder}/{assignment}")
    digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items()))).hexdigest()[:16]
    return CourseBundle(files, digest)


def submission(course: Path, task: Task) -> Submission:
    folder = course / "submitted" / task.student / task.assignment
    return Submission(task.student, task.assignment,
                      {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()})


# --- the worker side ----------------------------------------------------------------------------------------

_GRADERS: dict[str, tuple[Path, object]] = {}  # bundle digest -> (scratch course, its Worker), for this process


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _grader(bundle: CourseBundle, warm: bool):
    """This worker process's grader for the bundle's course: built once, its warm sandbox kept for the run."""
    from grading.class_grading.worker import Worker

    if bundle.digest not in _GRADERS:
        close_graders()  # a new run (another course or gradebook): the last one's scratch course goes
        root = Path(tempfile.mkdtemp(prefix="grading-cluster-"))
        course = root / "course"
        _write_tree(course, bundle.files)
        (root / "staging").mkdir()
        # the kernels import the course's package: the one this worker runs
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        _GRADERS[bundle.digest] = (root, Worker(course, root / "staging", 0, warm))
    return _GRADERS[bundle.digest]


def close_graders() -> None:
    while _GRADERS:
        _, (root, worker) = _GRADERS.popitem()
        worker.close()
        shutil.rmtree(root, ignore_errors=True)


def grade(bundle: CourseBundle, sub: Submission, warm: bool) -> Graded:
    """One task: grade one submission in this worker's scratch course; the outputs come back as bytes."""
    root, worker = _grader(bundle, warm)
    course, staging = root / "course", root / "staging"
    folder = course / "submitted" / sub.student / sub.assignment
    shutil.rmtree(folder, ignore_errors=True)
    _write_tree(folder, sub.files)
    try:
        result = worker.grade(Task(sub.student, sub.assignment))
        files = {}
        for kind in ("autograded", "feedback"):
            files |= _read_tree(staging / kind / sub.student / sub.assignment, f"{kind}/{sub.student}/{sub.assignment}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for kind in ("autograded", "feedback"):
            shutil.rmtree(staging / kind / sub.student / sub.assignment, ignore_errors=True)
    return Graded(result, files)


def environment() -> dict:
    """What this process would grade with: package versions, and its sandbox (or why it has none)."""
    from grading.judging.sandbox import SandboxUnavailable, require_sandbox

    versions = {name: importlib.metadata.version(name) for name in PINNED}
    versions["python"] = platform.python_version()
    try:
        sandbox = "ok" if require_sandbox() else "unsandboxed (GRADING_ALLOW_UNSANDBOXED)"
    except SandboxUnavailable as err:
        sandbox = f"refused: {err}"
    return {"versions": versions, "sandbox": sandbox}


def clean_up_plugin():
    """A Dask worker plugin: when the worker closes, its warm sandbox and scratch course go with it."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class CleanUp(WorkerPlugin):
        name = "grading-clean-up"

        def teardown(self, worker) -> None:
            close_graders()

    return CleanUp()


# --- the main process's side ----------------------------------------------------------------------------

def connect(scheduler: str | None, local: int | None):
    """A Client on the running scheduler, or on a LocalCluster of `local` worker processes started here."""
    from distributed import Client, LocalCluster

    if local is not None:
        cluster = LocalCluster(n_workers=local, threads_per_worker=1, processes=True, dashboard_address=None,
                               host="127.0.0.1")
        return Client(cluster)
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT_S} s ({err}): "
                           "is `dask scheduler` running there, and is the address right?") from None


def check_workers(client) -> bool:
    """Every worker runs the main process's versions and has a working sandbox; True when kernels may be warm
    (sandboxed). Raises ClusterError naming the first worker that cannot grade, and why."""
    mine = environment()
    theirs = client.run(environment)
    if not theirs:
        raise ClusterError("the scheduler has no workers: start some with `dask worker ADDRESS` "
                           "(see README, Grading on a cluster)")
    for address, env in sorted(theirs.items()):
        diff = {k: (v, mine["versions"][k]) for k, v in env["versions"].items() if v != mine["versions"][k]}
        if diff:
            said = "; ".join(f"{k} {theirs_v} on the worker, {mine_v} here" for k, (theirs_v, mine_v) in diff.items())
            raise ClusterError(f"worker {address} cannot grade like this machine: {said}. Install the course's "
                               "requirements.txt there (same versions), or leave that worker out")
        if env["sandbox"].startswith("refused"):
            raise ClusterError(f"worker {address} has no working sandbox: {env['sandbox'][len('refused: '):]}")
    return all(env["sandbox"] == "ok" for env in theirs.values())


def _publish_files(course: Path, graded: Graded) -> None:
    """The graded notebook and its feedback into the course, replacing an older grading of the submission."""
    r = graded.result
    for kind in ("autograded", "feedback"):
        shutil.rmtree(course / kind / r.student / r.assignment, ignore_errors=True)
    _write_tree(course, graded.files)


class ClusterGrader:
    """The main process of a cluster run: sends the tasks, writes each result as it arrives (one transaction per
    submission, so an interrupted run resumes), draws progress."""

    def __init__(self, course: Path, client, warm: bool, out=sys.stdout):
        self.course, self.client, self.warm, self.out = course, client, warm, out
        self.interrupted = False
        self.cpu: list[tuple[float, float]] = []
        self.bundle_size = self.workers = self.tasks = 0
        self.sent = self.received = 0  # bytes of submissions sent, of graded files received

    def run(self, tasks: list[Task]) -> dict:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker
        from nbgrader.api import Gradebook

        from grading.class_grading.progress import Progress
        from grading.class_grading.recording import Outcome, accept

        outcomes: dict = {}
        if not tasks:
            return outcomes
        bundle = bundle_course(self.course, sorted({t.assignment for t in tasks}))
        self.workers = len(self.client.scheduler_info()["workers"])
        self.bundle_size, self.tasks = bundle.size, len(tasks)
        self.client.register_plugin(clean_up_plugin())
        shared = self.client.scatter(bundle, broadcast=True, hash=False)
        futures: dict = {}
        waiting, running = iter(tasks), as_completed()

        def submit_next() -> None:
            t = next(waiting, None)
            if t is None:
                return
            sub = submission(self.course, t)
            self.sent += sum(len(b) for b in sub.files.values())
            future = self.client.submit(grade, shared, sub, self.warm, pure=False,
                                        key=f"grade-{t.student}-{t.assignment}-{bundle.digest}")
            futures[future] = t
            running.add(future)

        # a bounded window of tasks in flight: the scheduler holds each waiting task's files, so a class of
        # thousands is sent as workers free up, not all at once
        for _ in range(WINDOW_PER_WORKER * max(self.workers, 1)):
            submit_next()
        progress = Progress(len(tasks), self.out)
        pending = {(t.student, t.assignment) for t in tasks}
        try:
            with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gb:
                for future in running:
                    submit_next()
                    t = futures[future]
                    key = (t.student, t.assignment)
                    try:
                        graded: Graded = future.result()
                    except KilledWorker as err:
                        outcomes[key] = Outcome("crash", f"it took down every worker that tried it ({err})")
                    except (CancelledError, asyncio.CancelledError):
                        raise  # the scheduler is gone: below
                    except Exception as err:  # noqa: BLE001 (one submission's failure is reported, not fatal)
                        outcomes[key] = Outcome("error", f"{type(err).__name__}: {err}")
                    else:
                        self.received += sum(len(b) for b in graded.files.values())
                        outcomes[key] = accept(gb, graded.result, partial(_publish_files, self.course, graded), self.cpu)
                    pending.discard(key)
                    progress.update(key, outcomes[key])
        except KeyboardInterrupt:
            self.interrupted = True
            print("\ninterrupted: what is graded so far is kept (re-run to resume)", file=self.out, flush=True)
        except (OSError, TimeoutError, CancelledError, asyncio.CancelledError) as err:
            print(f"\nlost the Dask scheduler ({type(err).__name__}: {err}): what is graded so far is kept; "
                  "re-run to resume", file=self.out, flush=True)
        finally:
            if self.client.status == "running":
                self.client.cancel(list(futures))
            progress.close()
        for key in pending:
            outcomes.setdefault(key, Outcome("not run", "interrupted" if self.interrupted else "scheduler lost"))
        return outcomes


def traffic_line(grader: ClusterGrader) -> str:
    n = max(grader.tasks, 1)
    return (f"cluster traffic: the course ({grader.bundle_size / 1e6:.2f} MB) once to each of {grader.workers} "
            f"workers, then {grader.sent / n / 1e3:.0f} kB per notebook out and {grader.received / n / 1e3:.0f} kB back")
