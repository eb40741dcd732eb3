"""Grade a whole class: nbgrader's autograde, in parallel, with warm kernels, progress and reports.

usage: python -m grading autograde [ASSIGNMENT ...] [--course DIR] [--jobs N] [--student ID ...] [--force]

Does what `nbgrader autograde` does in the course folder (default: grading/), with the same scores: reads
submitted/<student>/<assignment>/, writes autograded/, feedback/ (without hidden test code) and the
gradebook, then grades.csv (the format of `nbgrader export`) and a summary table. With no ASSIGNMENT it
grades every assignment of the gradebook.

- `--jobs` workers (default: one per core) grade notebooks in parallel (grading/class_grading/worker.py); only this
  process writes the gradebook, one submission per transaction, so it is never half-written.
- Kernels are forked from a warm parent inside the sandbox (grading/class_grading/warm.py): torch is already imported,
  and each notebook still gets a fresh kernel in an emptied sandbox.
- A run that was interrupted resumes: what is already graded (its autograded/ folder exists and the
  submission is not newer) is skipped; `--force` regrades.
- Bad submissions (missing, renamed, not JSON, grader cells lost) get a status and are not graded; the
  rest are. Usage errors exit 2; a submission nbgrader itself failed on exits 1; Ctrl-C exits 130 after
  stopping the workers and their sandboxes, keeping every submission graded so far.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import time
from functools import partial
from pathlib import Path

from grading.class_grading.progress import Progress, summary_table
from grading.class_grading.recording import Outcome, accept
from grading.class_grading.worker import Result, Task
from grading.course.paths import COURSE, REPO, notebook_names
from grading.judging.submissions import graded_ids, status


class UsageError(Exception):
    """Bad arguments or a course that cannot be graded: exit 2 with the message."""


def _assignments_in_gradebook(course: Path) -> list[str]:
    import sqlite3

    db = course / "gradebook.db"
    if not db.is_file():
        raise UsageError(f"{course} has no gradebook.db: run `nbgrader generate_assignment` there first")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        try:
            names = [r[0] for r in con.execute("SELECT name FROM assignment ORDER BY name")]
        except sqlite3.DatabaseError as err:
            raise UsageError(f"{db} is not an nbgrader gradebook ({err})") from None
    con.close()
    return names


def _timestamp(folder: Path):
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip()) if path.is_file() else None
    except ValueError:
        return None


def plan(course: Path, assignments: list[str], students: list[str], force: bool
         ) -> tuple[list[Task], dict[tuple[str, str], Outcome]]:
    """The tasks to grade, and the outcome already known for the others (graded before, invalid)."""
    known: dict[tuple[str, str], Outcome] = {}
    tasks: list[Task] = []
    for assignment in assignments:
        release = course / "release" / assignment / f"{assignment}.ipynb"
        released = graded_ids(json.loads(release.read_text(encoding="utf-8"))) if release.is_file() else set()
        for student in students:
            folder = course / "submitted" / student / assignment
            if not folder.is_dir():
                continue
            dest = course / "autograded" / student / assignment
            if dest.is_dir() and not force:
                new, old = _timestamp(folder), _timestamp(dest)
                if not (new and old and new > old):
                    known[student, assignment] = Outcome("skipped")
                    continue
            text = status(folder, assignment, released)
            if not text.startswith("ok"):
                known[student, assignment] = Outcome("invalid", text)
                continue
            tasks.append(Task(student, assignment))
    return tasks, known


def _publish(staging: Path, course: Path, student: str, assignment: str) -> None:
    """Move the graded notebook and its feedback into the course, replacing an older grading."""
    for folder in ("autograded", "feedback"):
        src = staging / folder / student / assignment
        dest = course / folder / student / assignment
        if dest.exists():
            shutil.rmtree(dest)
        if src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dest))


class Interrupted(Exception):
    pass


class Grader:
    """The main process: hands tasks to workers, writes their results, draws progress."""

    def __init__(self, course: Path, jobs: int, warm: bool, out=sys.stdout):
        self.course, self.jobs, self.warm, self.out = course, jobs, warm, out
        self.staging = course / ".autograde-staging"
        self.interrupted = False
        self.cpu: list[tuple[float, float]] = []  # (nbgrader, kernel) CPU seconds of each graded notebook

    def _on_sigint(self, signum, frame) -> None:
        if self.interrupted:  # a second Ctrl-C: the user means it
            raise KeyboardInterrupt
        self.interrupted = True
        print("\ninterrupted: stopping the workers; what is graded so far is kept (re-run to resume)",
              file=self.out, flush=True)

    def run(self, tasks: list[Task]) -> dict[tuple[str, str], Outcome]:
        from nbgrader.api import Gradebook

        from grading.class_grading.worker import run as worker_run

        outcomes: dict[tuple[str, str], Outcome] = {}
        if not tasks:
            return outcomes
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        ctx = multiprocessing.get_context("spawn")
        task_q, result_q = ctx.Queue(), ctx.Queue()
        # longest first (a notebook's size stands in for its running time), so the last ones are short
        # and no worker idles long at the end while another finishes a heavy notebook
        def size(t: Task) -> int:
            return sum(p.stat().st_size for p in (self.course / "submitted" / t.student / t.assignment).glob("*"))

        for t in sorted(tasks, key=size, reverse=True):
            task_q.put(t)
        jobs = min(self.jobs, len(tasks))
        for _ in range(jobs):
            task_q.put(None)
        previous = signal.signal(signal.SIGINT, self._on_sigint)
        previous_term = signal.signal(signal.SIGTERM, self._on_sigint)  # `kill`: stop as cleanly as on Ctrl-C
        workers = [ctx.Process(target=worker_run, args=(str(self.course), str(self.staging), i, self.warm,
                                                         task_q, result_q), daemon=True) for i in range(jobs)]
        for w in workers:
            w.start()
        progress = Progress(len(tasks), self.out)
        pending = {(t.student, t.assignment) for t in tasks}
        finished_workers = 0
        try:
            with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gb:
                while pending and not self.interrupted:
                    try:
                        msg = result_q.get(timeout=0.5)
                    except queue.Empty:
                        if not any(w.is_alive() for w in workers):
                            break
                        progress.tick()
                        continue
                    if msg[0] == "died":
                        finished_workers += 1
                        print(f"\ngrading worker {msg[1]} stopped:\n{msg[2]}", file=self.out, flush=True)
                        if finished_workers == jobs:
                            break
                        continue
                    if msg[0] != "result":
                        continue
                    result: Result = msg[1]
                    key = (result.student, result.assignment)
                    pending.discard(key)
                    outcomes[key] = accept(gb, result, partial(_publish, self.staging, self.course, *key), self.cpu)
                    progress.update(key, outcomes[key])
        finally:
            self._stop(workers, task_q)
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)
            progress.close()
            self._keep_logs(outcomes)
            shutil.rmtree(self.staging, ignore_errors=True)
        for key in pending:
            outcomes.setdefault(key, Outcome("not run", "interrupted" if self.interrupted else "no worker left"))
        return outcomes

    def _stop(self, workers, task_q) -> None:
        """Stop every worker and, with it, its sandbox (bwrap dies with its parent, kernels with bwrap)."""
        for w in workers:
            if w.is_alive():
                w.terminate()
        deadline = time.monotonic() + 10
        for w in workers:
            w.join(max(0.1, deadline - time.monotonic()))
            if w.is_alive():
                w.kill()
                w.join()
        task_q.cancel_join_thread()

    def _keep_logs(self, outcomes: dict) -> None:
        if any(o.status == "error" for o in outcomes.values()):
            logs = self.course / "autograde-logs"
            logs.mkdir(exist_ok=True)
            for log in self.staging.glob("worker-*.log"):
                shutil.copy(log, logs / log.name)
            print(f"nbgrader's messages about the failures: {logs}", file=self.out)


def export_csv(course: Path) -> Path:
    """grades.csv, written by nbgrader's own exporter (the file `nbgrader export` writes)."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    path = course / "grades.csv"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        CsvExportPlugin(to=str(path)).export(gb)
    return path


def scores(course: Path, students: list[str], assignments: list[str]) -> dict[tuple[str, str], tuple]:
    """(score, max score, flagged) of every graded submission in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for a in assignments:
            for s in students:
                try:
                    sub = gb.find_submission(a, s)
                except MissingEntry:
                    continue
                found[s, a] = (sub.score, sub.max_score, any(nb.flagged for nb in sub.notebooks))
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m grading autograde", description=__doc__.splitlines()[0])
    parser.add_argument("assignment", nargs="*", help="assignments to grade (default: all)")
    parser.add_argument("--course", type=Path, default=COURSE, help="nbgrader course folder (default: grading/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    parser.add_argument("--student", action="append", default=[], help="grade only this student (repeatable)")
    parser.add_argument("--force", action="store_true", help="regrade what is already graded")
    parser.add_argument("--cold", action="store_true", help="start every kernel from scratch (no warm parent)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="grade on the Dask cluster of this scheduler "
                       "(tcp://host:8786); workers need the course's environment, not its folder")
    where.add_argument("--cluster", metavar="local:N", help="grade on a Dask LocalCluster of N worker processes")
    return parser.parse_args(argv)


def local_workers(spec: str | None) -> int | None:
    """N of `--cluster local:N`; UsageError for anything else."""
    if spec is None:
        return None
    kind, _, n = spec.partition(":")
    if kind != "local" or not n.isdigit() or int(n) < 1:
        raise UsageError(f"--cluster takes local:N with N workers (e.g. local:2), not {spec!r}")
    return int(n)


def check_course(args: argparse.Namespace) -> tuple[Path, list[str], list[str]]:
    """The course, assignments and students to grade; UsageError when any of them is wrong."""
    course = args.course.resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise UsageError(f"{args.course} is not an nbgrader course: it has no nbgrader_config.py")
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    known = _assignments_in_gradebook(course)
    unknown = [a for a in args.assignment if a not in known]
    if unknown:
        raise UsageError(f"unknown assignment {', '.join(unknown)}; the gradebook has: {', '.join(known)}")
    assignments = args.assignment or known
    submitted = course / "submitted"
    everyone = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    if not everyone:
        raise UsageError(f"nothing to grade: {submitted} is empty or missing (collect the submissions first)")
    missing = [s for s in args.student if s not in everyone]
    if missing:
        raise UsageError(f"no submissions from student {', '.join(missing)} in {submitted}")
    return course, assignments, args.student or everyone


def main(argv: list[str] | None = None, out=sys.stdout) -> int:
    args = parse_args(argv)
    try:
        course, assignments, students = check_course(args)
        from grading.judging.sandbox import SandboxUnavailable, require_sandbox

        try:
            sandboxed = require_sandbox()
        except SandboxUnavailable as err:
            raise UsageError(str(err)) from None
    except UsageError as err:
        print(f"python -m grading autograde: error: {err}", file=sys.stderr)
        return 2
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    before = scores(course, students, assignments) if args.force else {}  # a regrade says what it changed
    tasks, outcomes = plan(course, assignments, students, args.force)
    started = time.monotonic()
    if args.scheduler or args.cluster:
        from grading.class_grading.cluster import ClusterError, ClusterGrader, check_workers, connect

        try:
            client = connect(args.scheduler, local_workers(args.cluster))
            warm = check_workers(client) and not args.cold
        except (ClusterError, UsageError) as err:
            print(f"python -m grading autograde: error: {err}", file=sys.stderr)
            return 2
        grader = ClusterGrader(course, client, warm, out=out)
        where = f"the Dask cluster at {client.scheduler.address} ({len(client.scheduler_info()['workers'])} workers)"
    else:
        grader, where = Grader(course, args.jobs, warm=sandboxed and not args.cold, out=out), f"{args.jobs} worker(s)"
    print(f"grading {len(tasks)} notebooks ({len(outcomes)} already graded or invalid) with {where}, "
          f"{'warm' if grader.warm else 'cold'} kernels", file=out, flush=True)
    try:
        outcomes.update(grader.run(tasks))
    finally:
        if args.scheduler or args.cluster:
            client.close()
            if args.cluster:
                client.cluster.close()
    elapsed = time.monotonic() - started
    after = scores(course, students, assignments)
    print(summary_table(students, assignments, outcomes, after), file=out)
    if args.force:
        print_changes(before, after, out)
        previous = course / "grades.csv"
        if previous.is_file():  # the grades before this regrade, beside the new ones
            shutil.copy(previous, course / "grades.previous.csv")
    csv = export_csv(course)
    counts = {status: sum(o.status == status for o in outcomes.values())
              for status in ("graded", "error", "crash", "not run")}
    print(f"\n{counts['graded']} of {len(tasks)} notebooks graded in {elapsed:.1f} s"
          + "".join(f", {n} {what}" for what, n in (("failed in nbgrader", counts["error"]),
                                                   ("given up (took down every worker)", counts["crash"]),
                                                   ("not graded", counts["not run"])) if n)
          + f"; grades: {csv}; feedback: {course / 'feedback'}", file=out)
    if grader.cpu and grader.warm:
        nbgrader_cpu, kernel_cpu = (sum(c) / len(grader.cpu) for c in zip(*grader.cpu))
        print(f"CPU per notebook: {nbgrader_cpu:.2f} s in nbgrader (with the feedback page), "
              f"{kernel_cpu:.2f} s in the kernel", file=out)
    if args.scheduler or args.cluster:
        from grading.class_grading.cluster import traffic_line

        print(traffic_line(grader), file=out)
    if grader.interrupted:
        return 130
    failed = any(o.status in ("error", "crash", "not run") for o in outcomes.values())
    return 1 if not print_report(course, assignments, out) or failed else 0


def print_changes(before: dict, after: dict, out) -> None:
    """A regrade's changes, per student and assignment: score (and flag) before -> after."""
    def shown(entry: tuple | None) -> str:
        return "-" if entry is None else f"{entry[0]:g}/{entry[1]:g}" + (" flag" if entry[2] else "")

    changed = sorted(k for k in set(before) | set(after) if shown(before.get(k)) != shown(after.get(k)))
    if not changed:
        print(f"\nregraded: no score changed ({len(after)} submission(s))", file=out)
        return
    print(f"\nregraded: {len(changed)} score(s) changed (before -> after):", file=out)
    for student, assignment in changed:
        print(f"  {student}  {assignment}: {shown(before.get((student, assignment)))} -> "
              f"{shown(after.get((student, assignment)))}", file=out)


def print_report(course: Path, assignments: list[str], out) -> bool:
    """Regenerate the course's report (python -m grading report) and print the run's three most common
    misconceptions with its path; False, with the reason, when it could not be written (the grades stand)."""
    import sqlite3

    from grading.class_grading.item_analysis import most_common, write_report
    from grading.course.misconceptions import GLOSSARY

    target = course / "reports"
    graded = {p.name for p in course.glob("autograded/*/*") if p.is_dir()}
    try:
        report = write_report(course, target, [a for a in notebook_names(course / "source") if a in graded], log=out)
    except (OSError, ValueError, sqlite3.Error) as err:  # the grades are saved: say what broke, keep the summary
        print(f"\nthe report could not be written to {target}: {type(err).__name__}: {err}", file=sys.stderr)
        return False
    top = most_common([m for m in report.misconceptions if m.assignment in assignments])
    page = target / "report.html"
    if not top:
        print(f"\nno failed check named a misconception; report: {page}", file=out)
        return True
    print(f"\nmost common misconceptions (report: {page}):", file=out)
    width = max(len(f"{m.assignment}/{m.exercise}") for m in top)
    for m in top:
        print(f"  {len(m.students):3d} students  {m.assignment + '/' + m.exercise:{width}s}  {m.misconception}: "
              f"{GLOSSARY.get(m.misconception, '')}", file=out)
    return True
