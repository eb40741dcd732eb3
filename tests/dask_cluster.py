"""Real Dask clusters on localhost for the tests: `dask scheduler` and `dask worker` processes, each worker in a
mount namespace of its own where a folder (the tests' temporary folders, so every course) is an empty tmpfs:
a worker that reached for the course folder would find nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 120
# by absolute path: a worker may be started with a PATH that lacks them (the test of a worker without bwrap)
UNSHARE, MOUNT = shutil.which("unshare"), shutil.which("mount")


def missing_unshare() -> str | None:
    if not UNSHARE or not MOUNT:
        return "no unshare or mount (util-linux): the workers cannot be started blind to the course folder"
    probe = subprocess.run([UNSHARE, "--mount", "true"], capture_output=True, text=True, check=False)
    return None if probe.returncode == 0 else f"unshare --mount does not work here: {probe.stderr.strip()}"


class Cluster:
    def __init__(self, workdir: Path, hidden: Path):
        self.workdir, self.hidden = workdir, hidden
        self.scheduler: subprocess.Popen | None = None
        self.workers: dict[str, subprocess.Popen] = {}
        self.address = ""

    def start_scheduler(self, env: dict[str, str] | None = None) -> str:
        info = self.workdir / "scheduler.json"
        log = (self.workdir / "scheduler.log").open("w")
        self.scheduler = subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(info)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not info.is_file() or not info.read_text().strip():
            if self.scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler did not start:\n{(self.workdir / 'scheduler.log').read_text()}")
            time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]
        return self.address

    def start_worker(self, name: str, env: dict[str, str] | None = None) -> None:
        """A worker that cannot see `hidden`: an empty tmpfs is mounted over it in the worker's own namespace."""
        worker = (f"{MOUNT} -t tmpfs tmpfs {self.hidden} && exec {BIN / 'dask'} worker {self.address} "
                  f"--name {name} --nthreads 1 --no-nanny --no-dashboard --host 127.0.0.1")
        log = (self.workdir / f"{name}.log").open("w")
        self.workers[name] = subprocess.Popen([UNSHARE, "--mount", "/bin/sh", "-c", worker], env=env or os.environ.copy(),
                                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT_S) as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT_S)

    def kill(self, name: str) -> None:
        os.killpg(self.workers[name].pid, signal.SIGKILL)
        self.workers[name].wait()

    def kill_scheduler(self) -> None:
        os.killpg(self.scheduler.pid, signal.SIGKILL)
        self.scheduler.wait()

    def stop(self) -> None:
        for proc in [*self.workers.values(), self.scheduler]:
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers.values(), self.scheduler]:
            if proc is None:
                continue
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(self.workdir.glob("*.log")))


@contextmanager
def cluster(workdir: Path, hidden: Path, workers: int = 2, env: dict[str, str] | None = None,
            scheduler_env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A scheduler and `workers` workers (`env`: the workers' environment), stopped on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    c = Cluster(workdir, hidden)
    try:
        c.start_scheduler(scheduler_env)
        for i in range(workers):
            c.start_worker(f"w{i + 1}", env)
        if workers:
            c.wait_for_workers(workers)
        yield c
    finally:
        c.stop()
