"""Warm kernels: a grading kernel that starts with torch, numpy, matplotlib and ipykernel already imported,
and is still fresh for every notebook.

A `WarmServer` is one sandbox (the same bwrap and limits as grading/judging/sandbox.py) holding the warm parent of
grading/class_grading/forkserver.py. For each notebook, `WarmKernelManager` asks it for a kernel: the parent kills
whatever the previous kernel left running, empties the sandbox's writable folders, and forks. The child
is an ordinary ipykernel on the connection file nbclient wrote, so nbgrader's Execute talks to it as to
any other kernel; it only skips the ~3 s of CPU a new Python spends importing torch.
"""

from __future__ import annotations

import json
import math
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.utils import ensure_async
from traitlets import DottedObjectName, Type, default

from grading.judging.remote import AGENT_SOURCE
from grading.judging.sandbox import bounded_linger_context, bwrap_command, short_tempdir

SERVER_SOURCE = (Path(__file__).parent / "forkserver.py").read_text()
KERNEL_DIR = "/tmp/.grading-kernel"  # the kernels' working folder, an empty tmpfs inside the sandbox
# The longest the warm parent may take to answer a request (a fork, after it has emptied the sandbox, takes well
# under a second): one that does not answer by then is stalled, and is replaced rather than waited for.
REPLY_DEADLINE_S = 60.0


class ServerGone(RuntimeError):
    """The warm parent exited (a kernel killed it, or a limit did); the grader starts a new one."""


class WarmServer:
    """A sandbox with a warm parent in it, forking one kernel at a time."""

    def __init__(self, limits: list[str], log_path: Path | None = None, wait: bool = True):
        """Start the warm parent; with wait=False, return while it is still importing (the caller has its own
        start-up to do meanwhile), and wait for it before the first request."""
        self.ipc_dir = short_tempdir("grading-warm-")
        self._lock = threading.Lock()
        self.kernel_cpu = 0.0  # CPU seconds of the kernels forked so far
        self.log_path = log_path
        self._started = False
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 (owned by the process)
        cmd = bwrap_command(KERNEL_DIR, self.ipc_dir, [], [*limits, sys.executable, "-c", SERVER_SOURCE, AGENT_SOURCE])
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                        text=True, bufsize=1)
        if log is not subprocess.DEVNULL:
            log.close()
        if wait:
            self.wait_started()

    def wait_started(self) -> None:
        """Read the warm parent's greeting (sent once its imports are done) unless already read."""
        if self._started:
            return
        hello = self.process.stdout.readline()
        if not hello:
            self.close()
            raise ServerGone(f"the warm kernel parent did not start (see {self.log_path})")
        self._started = True

    def request(self, **req) -> dict:
        with self._lock:
            self.wait_started()  # the greeting is never taken for the reply to a request
            try:
                self.process.stdin.write(json.dumps(req) + "\n")
                answered, _, _ = select.select([self.process.stdout], [], [], REPLY_DEADLINE_S)
                line = self.process.stdout.readline() if answered else None
            except (BrokenPipeError, ValueError):
                line = ""
        if line is None:  # stalled (stopped, or stuck): the worker starts a new one before its next notebook
            self.process.kill()
            raise ServerGone(f"the warm kernel parent did not answer {req.get('op')!r} within {REPLY_DEADLINE_S:.0f} s")
        if not line:
            raise ServerGone("the warm kernel parent exited")
        reply = json.loads(line)
        if "error" in reply:  # e.g. a sandbox it could not clean: never fork from it again
            self.process.kill()
            raise ServerGone(f"the warm kernel parent failed: {reply['error']}")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, connection: str) -> ForkedKernel:
        conn_file = os.path.join(self.ipc_dir, "kernel.json")
        reply = self.request(op="fork", connection=connection, connection_file=conn_file, workdir=KERNEL_DIR,
                             wipe=[KERNEL_DIR, self.ipc_dir])
        return ForkedKernel(self, reply["pid"])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # bwrap's init goes with it, and the pid namespace with every process in it
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.ipc_dir, ignore_errors=True)


class ForkedKernel:
    """The Popen-like handle jupyter_client's LocalProvisioner expects, for a kernel forked in the sandbox."""

    stdin = stdout = stderr = None

    def __init__(self, server: WarmServer, pid: int):
        self.server = server
        self.pid = pid
        self.returncode: int | None = None
        self.cpu_seconds: float | None = None  # the kernel's CPU time, once it has exited

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                reply = self.server.request(op="poll", pid=self.pid)
            except ServerGone:
                self.returncode = -signal.SIGKILL
            else:
                self.returncode, self.cpu_seconds = reply["returncode"], reply["cpu"]
                if self.returncode is not None:
                    self.server.kernel_cpu += self.cpu_seconds or 0.0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                self.server.request(op="signal", pid=self.pid, signum=int(signum))
            except ServerGone:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


_server: WarmServer | None = None


def use_server(server: WarmServer | None) -> None:
    """The warm parent that `WarmKernelManager`s of this process fork from (one per grading worker)."""
    global _server
    _server = server


class WarmKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel is, instead of after two fixed waits.

    jupyter_client's wait_for_ready waits up to 0.2 s for a first IOPub message after the kernel_info reply
    (the kernel's first status messages are often lost to the slow subscriber: then the wait is spent in
    full and the request repeated) and then reads IOPub until it has been silent for 0.2 s: 0.2 to 0.4 s of
    idle time per notebook. The same two conditions, checked directly: the kernel answered kernel_info
    and IOPub is connected (the idle status of that very request arrived); then what IOPub already holds is
    drained."""

    drain_deadline_s = 2.0  # how long the idle status of a late-answered request of the start is waited for

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        sent: list[str] = []
        while True:
            sent.append(self.kernel_info())
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except queue.Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and \
                    await self._idle_after(reply["parent_header"].get("msg_id")):
                self._handle_kernel_info_reply(reply)
                break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        # A slow kernel answers the requests of earlier rounds late: wait (briefly) for the idle status of those
        # sent after the one just confirmed, so that none of the start's messages is left for the first cell. Not
        # for those sent before it: the kernel answers in order, so their idle status came before this one's or
        # was published before IOPub was connected and is lost (waiting for it cost 2 s in one start of three).
        confirmed = sent.index(reply["parent_header"].get("msg_id"))
        outstanding = set(sent[confirmed + 1:])
        until = time.monotonic() + self.drain_deadline_s
        while outstanding and time.monotonic() < until:
            try:
                msg = await ensure_async(self.iopub_channel.get_msg(timeout=max(0.0, until - time.monotonic())))
            except queue.Empty:
                break
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                outstanding.discard(msg["parent_header"].get("msg_id"))
        while True:
            try:
                await ensure_async(self.iopub_channel.get_msg(timeout=0))
            except queue.Empty:
                break

    async def _idle_after(self, request_id: str | None, wait: float = 0.02) -> bool:
        """Whether IOPub brings the idle status of request `request_id` (each message within `wait` seconds)."""
        while True:
            try:
                msg = await ensure_async(self.iopub_channel.get_msg(timeout=wait))
            except queue.Empty:
                return False
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") == request_id):
                return True

    wait_for_ready = _async_wait_for_ready  # jupyter_client binds the public name to its own method


class WarmKernelManager(AsyncKernelManager):
    """A kernel forked from this process's `WarmServer` instead of started from scratch."""

    runs_in_sandbox = True  # forked inside the WarmServer's sandbox
    client_class = DottedObjectName("grading.class_grading.warm.WarmKernelClient")
    client_factory = Type(WarmKernelClient, klass=AsyncKernelClient)

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True
        return bounded_linger_context()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if _server is None:
            raise RuntimeError("no warm kernel parent in this process (grading.class_grading.warm.use_server)")
        self.server = _server
        self.transport = "ipc"
        self.ip = os.path.join(self.server.ipc_dir, "kernel")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        provisioner = self.provisioner
        connection = Path(self.connection_file).read_text()
        provisioner.process = self.server.fork(connection)
        provisioner.pid = provisioner.process.pid
        provisioner.pgid = None  # signals go through the warm parent, never to a host process group
        provisioner.cwd = KERNEL_DIR
        self._reconcile_connection_info(provisioner.connection_info)
