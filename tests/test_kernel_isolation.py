"""Kernels forked one after another from one warm parent (grading/class_grading/forkserver.py) share nothing:
what one student's kernel leaves in System V IPC is gone for the next, and no kernel can stop the warm parent; a
parent stalled all the same is given up after a deadline."""

from __future__ import annotations

import ast
import asyncio
import concurrent.futures
import os
import signal
import time

import pytest

from grading.class_grading import warm
from grading.class_grading.warm import WarmKernelManager, WarmServer, use_server
from grading.judging.sandbox import SandboxedKernelManager, sandbox_problem

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sandbox_problem() is not None, reason="no working bubblewrap here")]

# One kernel leaves a value in each channel below; the next kernel from the same warm parent looks for it there.
# The key serial of the keyring channel is passed on by the test, as a second student could guess it.
LEAVE = """
import ctypes, os, socket, time
libc = ctypes.CDLL(None, use_errno=True)
KEY, IPC_CREAT, left = 0x5EED, 0o1000, {}
qid = libc.msgget(KEY, IPC_CREAT | 0o666)
msg = ctypes.create_string_buffer(ctypes.sizeof(ctypes.c_long) + 16)
ctypes.c_long.from_buffer(msg).value = 1
msg[ctypes.sizeof(ctypes.c_long):ctypes.sizeof(ctypes.c_long) + 6] = b"answer"
left["sysv_queue"] = qid >= 0 and libc.msgsnd(qid, msg, 16, 0) == 0
left["sysv_shared_memory"] = libc.shmget(KEY, 4096, IPC_CREAT | 0o666) >= 0
left["sysv_semaphore"] = libc.semget(KEY, 1, IPC_CREAT | 0o666) >= 0
rt = ctypes.CDLL("librt.so.1", use_errno=True)
left["posix_queue"] = rt.mq_open(b"/grading-leak", os.O_CREAT | os.O_RDWR, 0o666, None) >= 0
for name in ("/tmp/grading-leak", "/dev/shm/grading-leak", os.path.expanduser("~/.grading-leak")):
    with open(name, "w") as f:
        f.write("answer")
left["files"] = True
# a process left behind, holding an abstract unix socket that answers "answer"
if os.fork() == 0:
    os.setsid()
    libc.prctl(15, b"grading-leak", 0, 0, 0)  # PR_SET_NAME: the name the next kernel looks for
    server = socket.socket(socket.AF_UNIX)
    server.bind(b"\\0grading-leak")
    server.listen()
    while True:
        client, _ = server.accept()
        client.sendall(b"answer")
        client.close()
time.sleep(0.5)
left["abstract_socket"] = left["leftover_process"] = True
# keys in every keyring a process can name (session, user, user session), readable by anyone
serials = []
for ring in (-3, -4, -5):
    serial = libc.syscall(248, b"user", b"grading-leak", b"answer", 6, ring)
    if serial > 0:
        libc.syscall(250, 5, serial, 0x3F3F3F3F)
        serials.append(serial)
left["keyring"] = serials
print(left)
"""
LOOK = """
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
KEY, found = 0x5EED, {}
found["sysv_queue"] = libc.msgget(KEY, 0) >= 0
found["sysv_shared_memory"] = libc.shmget(KEY, 0, 0) >= 0
found["sysv_semaphore"] = libc.semget(KEY, 0, 0) >= 0
rt = ctypes.CDLL("librt.so.1", use_errno=True)
found["posix_queue"] = rt.mq_open(b"/grading-leak", os.O_RDONLY, 0, None) >= 0
found["files"] = [n for n in ("/tmp/grading-leak", "/dev/shm/grading-leak", os.path.expanduser("~/.grading-leak"))
                  if os.path.exists(n)]
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(b"\\0grading-leak")
    found["abstract_socket"] = s.recv(16).decode()
except OSError:
    found["abstract_socket"] = False
def named(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""
found["leftover_process"] = [p for p in os.listdir("/proc") if p.isdigit() and named(p) == "grading-leak"]

buf = ctypes.create_string_buffer(16)
found["keyring"] = [r for r in (-3, -4, -5) if libc.syscall(250, 10, r, b"user", b"grading-leak", 0) > 0]
found["keyring"] += [s for s in SERIALS if libc.syscall(250, 11, s, buf, 16) > 0]
print(found)
"""
CHANNELS = ["sysv_queue", "sysv_shared_memory", "sysv_semaphore", "posix_queue", "files", "abstract_socket",
            "leftover_process", "keyring"]
# Every process the kernel can name gets SIGSTOP: the warm parent and its stand-in among them, if it could
# The sandbox's /proc lists pids of the sandbox's namespace, and a number there can be one of the kernel's own thread
# ids in its namespace (tids 3, 4, ... of its threads): stopping that stops the kernel itself, so the attack leaves
# out its own threads (each thread's NSpid line ends with its id in the kernel's namespace).
STOP_ALL = """
import glob, os, signal
own = {int(line.split()[-1]) for path in glob.glob("/proc/self/task/*/status")
       for line in open(path) if line.startswith("NSpid:")} | {os.getpid()}
stopped = []
for name in os.listdir("/proc"):
    if name.isdigit() and int(name) not in own:
        try:
            os.kill(int(name), signal.SIGSTOP)
            stopped.append(int(name))
        except OSError:
            pass
print("stopped", stopped)
"""


async def _run(code: str) -> str:
    """Fork a kernel from the warm parent, run `code` in it, shut it down; what it printed."""
    km = WarmKernelManager(kernel_name="python3")
    await km.start_kernel()
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed: list[str] = []
        reply = await client.execute_interactive(
            code, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(printed)
    finally:
        client.stop_channels()
        await km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def server():
    server = WarmServer(SandboxedKernelManager(kernel_name="python3").limits())
    use_server(server)
    yield server
    use_server(None)
    server.close()


@pytest.fixture(scope="module")
def looked(server) -> tuple[dict, dict]:
    """What one kernel left in each channel, and what the next kernel found there."""
    left = ast.literal_eval(asyncio.run(_run(LEAVE)).strip())
    found = ast.literal_eval(asyncio.run(_run(f"SERIALS = {left['keyring']!r}\n" + LOOK)).strip())
    return left, found


@pytest.mark.parametrize("channel", CHANNELS)
def test_nothing_one_kernel_leaves_reaches_the_next(looked, channel):
    """A value one kernel left in a channel (IPC object, file, process, socket, key) is not there for the next
    kernel forked from the same warm parent."""
    left, found = looked
    assert left[channel], f"the first kernel could not leave anything in {channel} ({left[channel]!r}): no test"
    assert not found[channel], f"the next student's kernel found what the previous one left in {channel}: " \
                               f"{found[channel]!r}"


def _family(root: int) -> list[int]:
    """`root` and every process below it, read from /proc."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat") as f:
                parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    family, grown = {root}, True
    while grown:
        below = {pid for pid, ppid in parents.items() if ppid in family} - family
        family |= below
        grown = bool(below)
    return sorted(family)


def _signal(pids: list[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # gone meanwhile
            pass


def _stopped(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("T", "t")
    except OSError:
        return False


def test_a_kernel_cannot_stop_its_warm_parent(server):
    """SIGSTOP sent to every pid a kernel can see reaches no process outside it: the warm parent still forks."""
    def attack_then_fork() -> tuple[str, str]:
        return asyncio.run(_run(STOP_ALL)), asyncio.run(_run("print(6 * 7)"))

    pool = concurrent.futures.ThreadPoolExecutor(1)
    running = pool.submit(attack_then_fork)
    try:  # a stopped parent never answers: 60 s at most, then every process of the server is let go on
        printed, after = running.result(timeout=60)
    except concurrent.futures.TimeoutError:
        family = _family(server.process.pid)
        stopped = [pid for pid in family if _stopped(pid)]
        _signal(family, signal.SIGCONT)
        pytest.fail(f"a kernel's SIGSTOP stalled the warm server: {len(stopped)} of its {len(family)} processes "
                    "were stopped and it answered nothing for 60 s")
    finally:
        pool.shutdown(wait=True)
    assert printed.startswith("stopped"), printed
    assert after.strip() == "42", f"the warm parent no longer forks kernels (the next kernel printed {after!r})"


def test_a_stalled_warm_parent_is_given_up_not_waited_for(monkeypatch):
    """A warm parent that stops answering (stopped from outside here) is killed after the deadline: ServerGone."""
    monkeypatch.setattr(warm, "REPLY_DEADLINE_S", 2.0)
    stalled = WarmServer(SandboxedKernelManager(kernel_name="python3").limits())
    try:
        _signal(_family(stalled.process.pid), signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(warm.ServerGone, match="did not answer 'poll' within 2 s"):
            stalled.request(op="poll", pid=1)
        waited = time.monotonic() - started
        assert waited < 10, f"the grader waited {waited:.0f} s on a stalled warm parent (deadline 2 s)"
        assert stalled.process.wait(timeout=10) is not None and not stalled.alive()
    finally:
        _signal(_family(stalled.process.pid), signal.SIGCONT)
        stalled.close()


def test_a_warm_parent_started_without_waiting_greets_before_its_first_reply():
    """WarmServer(wait=False) returns while the parent imports; its first request waits for the greeting and gets
    its own reply (the greeting, read as the reply, would have no returncode)."""
    started = WarmServer(SandboxedKernelManager(kernel_name="python3").limits(), wait=False)
    try:
        reply = started.request(op="poll", pid=1)
        assert set(reply) == {"returncode", "cpu"}, f"the reply to a poll was {reply!r}, not the poll's answer"
        assert started.request(op="reset", wipe=[]) == {"ok": True}
    finally:
        started.close()


def test_a_kernel_holds_no_capability_in_its_namespaces(server):
    """The kernel's own user namespace gives it no capabilities (its creator's would let it mount, trace, ...)."""
    status = asyncio.run(_run("print(open('/proc/self/status').read())"))
    caps = {k: v.strip() for k, v in (line.split(":", 1) for line in status.splitlines() if line.startswith("Cap"))}
    held = {k: v for k, v in caps.items() if k in ("CapInh", "CapPrm", "CapEff") and int(v, 16)}
    assert caps and not held, f"the kernel holds capabilities: {held or caps}"
