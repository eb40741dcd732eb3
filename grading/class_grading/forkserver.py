"""The warm parent of grading kernels. It runs inside the sandbox (see grading/class_grading/warm.py) as `python -c`,
so it imports nothing of the course: this file must stand alone.

It imports what every course notebook needs (torch, numpy, matplotlib, the IPython kernel) once, then
forks one kernel per notebook. Before each fork it makes the sandbox as fresh as a new one: every other
process in it is killed and the writable folders are emptied, so nothing one student's kernel left
behind (files, processes) is visible to the next; the kernel's memory is a copy of this clean parent.

Four costs every IPython kernel pays are trimmed here, without changing what a notebook shows:
`inspect.getmodule` no longer rewalks sys.modules when nothing was imported since its last walk, the
second, history-only formatting of each traceback uses the standard library, a traceback's source is
coloured once per function (torch's functions once for all kernels), and each cell's source is
transformed once instead of twice. A notebook of failing
checks (an untouched stub) spends most of its kernel time formatting tracebacks.

Protocol: one JSON request per line on stdin, one JSON reply per line on the original stdout. Forked
kernels get /dev/null as stdin, stdout and stderr, so they can neither read requests nor forge replies.
"""

import contextlib
import ctypes
import gc
import io
import json
import os
import select
import signal
import sys
import time
import warnings

# What ipykernel would set in a fresh kernel, set before matplotlib reads it
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

# The warm part: imported once here, shared by every kernel forked from this process
# ...and what every kernel imports on its way up or at its first traceback (the debugger, traceback
# formatting, figure rendering). Not matplotlib_inline: it hooks into IPython when imported, so the kernel
# must import it itself, once its shell exists.
import asttokens  # noqa: F401
import cloudpickle  # noqa: F401 (the grader's pickles of a hidden test's arguments need it)
import executing  # noqa: F401
import ipykernel.debugger
import ipykernel.kernelapp
import IPython.core.completerlib
import IPython.core.debugger
import IPython.core.pylabtools
import IPython.core.ultratb
import IPython.extensions.storemagic
import matplotlib
import matplotlib.backends.backend_agg
import matplotlib.figure
import matplotlib.pyplot
import numpy
import PIL.PngImagePlugin  # noqa: F401
import psutil  # noqa: F401
import pygments.formatters.terminal256
import pygments.lexers.python  # noqa: F401
import stack_data  # noqa: F401
import torch
import torch._dynamo  # imported lazily by torch.func and by the first backward: ~1.2 s of every kernel
import torch.fx.experimental.symbolic_shapes
import torch.optim

PR_SET_DUMPABLE = 4
PR_SET_PDEATHSIG = 1
CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x08000000, 0x20000000, 0x40000000


def install_fast_getmodule() -> None:
    """inspect.getmodule, minus the rescans of sys.modules that cannot find anything new.

    IPython calls it for every frame of every traceback. For code that is not in a module (a notebook
    cell), the standard version walks all of sys.modules each time, about 2500 modules once torch is
    imported: a third of the kernel's time on a notebook full of failing checks. This version walks it
    only when sys.modules has changed since its last walk; otherwise it answers as the original would."""
    import inspect

    original = inspect.getmodule
    walked_at = [-1]

    def getmodule(object, _filename=None):
        if inspect.ismodule(object) or hasattr(object, "__module__"):
            return original(object, _filename)
        if _filename is not None and _filename in inspect.modulesbyfile:
            return sys.modules.get(inspect.modulesbyfile[_filename])
        try:
            file = inspect.getabsfile(object, _filename)
        except (TypeError, FileNotFoundError):
            return None
        if file in inspect.modulesbyfile or walked_at[0] != len(sys.modules):
            walked_at[0] = len(sys.modules)
            return original(object, _filename)  # walks sys.modules, as before
        # sys.modules has not changed since the last walk, which did not find `file`: only the tail is left
        main = sys.modules["__main__"]
        if not hasattr(object, "__name__"):
            return None
        if hasattr(main, object.__name__) and getattr(main, object.__name__) is object:
            return main
        builtin = sys.modules["builtins"]
        if hasattr(builtin, object.__name__) and getattr(builtin, object.__name__) is object:
            return builtin
        return None

    inspect.getmodule = getmodule


def store_plain_tracebacks() -> None:
    """IPython formats every traceback twice: once for the notebook and again, identically, for its history
    (InteractiveShell._format_exception_for_storage), which a grading kernel never reads. Keep a record in
    the history, formatted by the standard library: same error, a fraction of the cost. What the notebook
    shows is unchanged."""
    import traceback

    from IPython.core.interactiveshell import InteractiveShell

    def format_for_storage(self, exception, filename=None, running_compiled_code=False):
        lines = traceback.format_exception(type(exception), exception, exception.__traceback__)
        return {"ename": type(exception).__name__, "evalue": str(exception), "traceback": lines}

    InteractiveShell._format_exception_for_storage = format_for_storage


def transform_each_cell_once() -> None:
    """ipykernel transforms a cell's source (IPython's input transformers, which tokenize it) and IPython's
    run_cell transforms the same source again, with nothing run in between. Keep the first result for the
    second call: one entry, used once, for the same source and the same transformers. Not for a one-line
    cell, whose transformation may depend on the user's namespace (and costs little)."""
    from IPython.core.interactiveshell import InteractiveShell

    original = InteractiveShell.transform_cell
    last: dict[tuple, str] = {}

    def transform_cell(self, raw_cell):
        manager = self.input_transformer_manager
        key = (raw_cell, tuple(manager.cleanup_transforms), tuple(manager.line_transforms),
               tuple(manager.token_transformers), tuple(self.input_transformers_post))
        if key in last:
            return last.pop(key)
        last.clear()
        cell = original(self, raw_cell)
        if len(cell.splitlines()) > 1:
            last[key] = cell
        return cell

    InteractiveShell.transform_cell = transform_cell


def cache_traceback_highlighting() -> None:
    """Highlight each piece of traceback source once per kernel, with one lexer class.

    For every frame of a traceback, stack_data colours the source of the frame's whole function (or cell)
    with pygments, through a lexer class it defines anew for each call, so pygments compiles the Python
    grammar's regular expressions again every time (10 ms), then lexes the function (a long one from
    torch: 20 ms). Here the class is made once and the coloured lines are kept, keyed by everything they
    depend on: the source, the range to mark, and the formatter's escape codes. The warm parent fills the
    cache with torch's frames (warm_up), which every forked kernel inherits. Same lines as before."""
    import pygments
    import stack_data.core
    from pygments.formatters.terminal256 import Terminal256Formatter
    from pygments.lexers import get_lexer_by_name

    class RangeLexer(type(get_lexer_by_name("python3"))):
        """stack_data's lexer: tokens inside `ranges` (the executing node) get the ExecutingNode type."""

        ranges: tuple = ()

        def get_tokens(self, text):
            length = 0
            for ttype, value in super().get_tokens(text):
                if any(start <= length < end for start, end in self.ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

    original = stack_data.core._pygmented_with_ranges
    cache: dict[tuple, list[str]] = {}

    def pygmented_with_ranges(formatter, code, ranges):
        if type(formatter) is not Terminal256Formatter:  # other formatters: no key known to be complete
            return original(formatter, code, ranges)
        ranges = tuple((start, end) for start, end in ranges)
        key = (code, ranges, formatter.encoding, formatter.linenos, tuple(sorted(formatter.style_string.items())))
        lines = cache.get(key)
        if lines is None:
            lexer = RangeLexer(stripnl=False)
            lexer.ranges = ranges
            try:
                highlighted = pygments.highlight(code, lexer, formatter)
            except Exception:  # noqa: BLE001 (as stack_data: plain code rather than no traceback)
                highlighted = code
            lines = cache[key] = highlighted.splitlines()
            if len(cache) > 2048:
                del cache[next(iter(cache))]
        return list(lines)

    stack_data.core._pygmented_with_ranges = pygmented_with_ranges


# Errors raised inside torch's Python code, as a course notebook shows them on purpose (a second backward
# through a freed graph, a failed gradcheck, ...). Formatting the first traceback through a library file
# parses that file and maps its code (executing, stack_data): 0.1-0.3 s per file in every fresh kernel.
TORCH_ERRORS = """
def torch_errors():
    w = torch.ones(1, requires_grad=True)
    y = (w * w).sum()
    y.backward()
    yield lambda: y.backward()
    z = (w * w).sum()
    torch.autograd.grad(z, w)
    yield lambda: torch.autograd.grad(z, w)
    yield lambda: torch.autograd.backward([(w * w).sum()], grad_tensors=[torch.ones(2)])
    yield lambda: torch.nn.Linear(2, 1)(torch.ones(3))
    yield lambda: torch.nn.BCELoss()(torch.ones(2), torch.ones(3))
    yield lambda: torch.optim.SGD([w], lr=-1.0)
    yield lambda: torch.autograd.gradcheck(Twice.apply, (torch.ones(1, dtype=torch.float64, requires_grad=True),))


class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return 2 * t

    @staticmethod
    def backward(ctx, grad):
        return grad
"""


def warm_up() -> None:
    """Fill the caches a kernel would otherwise fill again for every student: the highlighter's compiled
    lexers, inspect's module table and the parsed source of torch's files (formatting a traceback), fonts and
    text layout (drawing a figure). Library caches only: no student code runs here, and each kernel gets its
    own copy."""
    from IPython.core.interactiveshell import InteractiveShell

    formatter = IPython.core.ultratb.AutoFormattedTB(
        mode=InteractiveShell.xmode.default_value, theme_name=InteractiveShell.colors.default_value, tb_offset=1)
    try:
        exec(compile("def _f(x):\n    return x.missing\n_f(1)\n", "<warm-up>", "exec"), {})  # noqa: S102
    except AttributeError:
        formatter.structured_traceback(*sys.exc_info())
    namespace = {"torch": torch}
    exec(compile(TORCH_ERRORS, "<warm-up-torch>", "exec"), namespace)  # noqa: S102 (this file's own code)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for error in namespace["torch_errors"]():
            try:
                error()
            except Exception:  # noqa: BLE001 (each one raises: formatting its traceback is the point)
                formatter.structured_traceback(*sys.exc_info())
    fig = matplotlib.figure.Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="$x^2$")
    ax.set_title("warm-up")
    ax.legend()
    fig.savefig(io.BytesIO(), format="png")
WRITABLE = ["/tmp", "/dev/shm"]


def set_dumpable(flag: int) -> None:
    # Non-dumpable: a kernel (same uid) cannot ptrace this parent or write its /proc/<pid>/mem
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, flag, 0, 0, 0)


def mount_points() -> set[str]:
    with open("/proc/self/mountinfo") as f:
        return {line.split()[4] for line in f}


def wipe(folder: str, mounts: set[str]) -> None:
    """Empty `folder`, leaving mount points (read-only binds under /tmp) and the folders leading to them."""
    for entry in os.scandir(folder):
        path = entry.path
        if path in mounts:
            continue
        if entry.is_dir(follow_symlinks=False):
            if any(m.startswith(path + "/") for m in mounts):
                wipe(path, mounts)
                continue
            wipe(path, mounts)
            os.rmdir(path)
        else:
            os.unlink(path)


def others() -> list[int]:
    """Live processes of the sandbox other than its init (pid 1) and this server."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (1, os.getpid()):
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(name))
    return found


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def reset(mounts: set[str], extra: list[str]) -> None:
    """Kill every other process and empty the writable folders; raise when the sandbox stays dirty."""
    if os.getpid() > 10 or not os.path.exists("/proc/1") or os.getuid() == 0:
        # outside a fresh pid namespace "every other process" would be the machine's: never
        raise RuntimeError("the warm parent is not inside its sandbox; refusing to reset")
    for _ in range(200):
        pids = others()
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        time.sleep(0.005)
    else:
        raise RuntimeError("processes keep appearing in the sandbox")
    for folder in WRITABLE + extra:
        wipe(folder, mounts)


def sandbox_cpu() -> float:
    """CPU seconds of every live process of the sandbox but its init and this server: the current kernel's (its
    stand-in, init and kernel, and what they reaped), read before it is killed. A killed kernel is never waited for
    by its stand-in, so the stand-in's own rusage would leave the kernel out."""
    total = 0
    for pid in others():
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def reap_kernel(pid: int, exits: dict[int, int], cpu: dict[int, float | None]) -> bool:
    """Record the exit code and CPU time of kernel `pid` if it has exited; whether it has."""
    if pid not in exits:
        try:
            done, status, usage = os.wait4(pid, os.WNOHANG)
        except ChildProcessError:  # already reaped: it is gone, how is unknown
            done, status, usage = pid, signal.SIGKILL, None
        if not done:
            return False
        exits[pid] = os.waitstatus_to_exitcode(status)
        cpu[pid] = usage.ru_utime + usage.ru_stime if usage else None
    return True


FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM)
SYS_CAPSET, CAP_VERSION_3 = 126, 0x20080522


def _forward_signals(to: int) -> None:
    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(to, signum)
        except ProcessLookupError:  # exited meanwhile: waitpid returns next
            pass

    for sig in FORWARDED_SIGNALS:
        signal.signal(sig, forward)


def _die_with_parent(libc: ctypes.CDLL, alive_r: int) -> None:
    """SIGKILL when the parent goes; `alive_r` reads EOF if it went before that was set."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if select.select([alive_r], [], [], 0)[0]:
        os._exit(1)
    os.close(alive_r)


def _drop_capabilities(libc: ctypes.CDLL) -> None:
    """The creator of a user namespace holds every capability in it, and a forked kernel would keep them: none."""
    header = (ctypes.c_uint32 * 2)(CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: twice 32 bits each, all empty
    if libc.syscall(SYS_CAPSET, header, data) != 0:
        raise OSError(ctypes.get_errno(), "dropping the capabilities of the kernel's user namespace failed")


def enter_private_namespaces() -> None:
    """In the forked child: go on as a kernel that shares nothing with the kernels before and after it.

    A user namespace of its own (the same uid, no capabilities left) holds new IPC, network and pid namespaces:
    System V queues, semaphores and shared memory, POSIX message queues, abstract unix sockets and the per-user
    keyrings die with the kernel (the warm sandbox's /tmp and /dev/shm are emptied between kernels anyway), and so
    does every process it leaves behind; no process outside has a pid in it that the kernel could signal, stop or
    ptrace (the sandbox's /proc still lists them: a fresh /proc cannot be mounted over bwrap's, whose covered parts
    the kernel refuses to reveal).

    Three processes: the caller stays outside as the kernel's stand-in, the pid the grader knows; the first child is
    pid 1 of the new pid namespace (its init, which takes every process in it along when it exits); the kernel is
    pid 2, so that its own signals (os.kill(os.getpid(), ...)) act as in any kernel, which they would not on a
    pid 1. The stand-in and the init pass the grader's signals on, each dies with its parent, and the stand-in
    exits as the kernel did (the init reports the kernel's wait status through a pipe: a pid 1 cannot die of a
    signal it sends itself). Returns in the kernel; the other two never return."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID) != 0:
        raise OSError(ctypes.get_errno(), "unshare of the user, IPC, network and pid namespaces failed")
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    alive_r, alive_w = os.pipe()  # EOF on alive_r: the stand-in is gone
    status_r, status_w = os.pipe()  # the kernel's wait status, from the init to the stand-in
    init = os.fork()
    if init == 0:
        os.close(alive_w)
        os.close(status_r)
        _die_with_parent(libc, alive_r)
        set_dumpable(0)
        init_alive_r, init_alive_w = os.pipe()
        kernel = os.fork()
        if kernel == 0:
            os.close(init_alive_w)
            os.close(status_w)
            _die_with_parent(libc, init_alive_r)
            _drop_capabilities(libc)
            return
        os.close(init_alive_r)
        _forward_signals(kernel)
        _, status = os.waitpid(kernel, 0)  # retried after each forwarded signal (PEP 475)
        os.write(status_w, str(status).encode())
        os._exit(0)
    os.close(alive_r)
    os.close(status_w)
    set_dumpable(0)
    _forward_signals(init)
    _, init_status = os.waitpid(init, 0)
    reported = os.read(status_r, 32)
    status = int(reported) if reported.isdigit() else init_status
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed by a signal: die of the same one, so that the grader sees what the kernel saw
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code & 0xFF)


def run_kernel(connection_file: str, workdir: str, ctl_fds: list[int]) -> None:
    """In the forked child: become a fresh ipykernel on `connection_file`, in namespaces of its own. Never
    returns."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        for fd in ctl_fds + [null]:
            os.close(fd)
        # dumpable before the namespaces: a non-dumpable process's /proc/self/uid_map belongs to the host's root,
        # which only a grader running as root can write (the instructor's account on a hub is not root). No
        # student code runs yet: the warm parent killed every other process before this fork.
        set_dumpable(1)
        enter_private_namespaces()
        os.setpgid(0, 0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        set_dumpable(1)
        # a new process would draw fresh seeds; the fork copied the parent's
        import random

        random.seed()
        numpy.random.seed()
        os.chdir(workdir)
        sys.argv = ["ipykernel_launcher", "-f", connection_file]
        ipykernel.kernelapp.IPKernelApp.launch_instance(argv=sys.argv[1:])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os._exit(code)


def serve() -> None:
    set_dumpable(0)
    install_fast_getmodule()
    cache_traceback_highlighting()
    store_plain_tracebacks()
    transform_each_cell_once()
    warm_up()
    # Everything allocated so far (torch, IPython, the caches above: about a million objects) is moved out of the
    # garbage collector's reach. Otherwise every full collection in a kernel, a student's gc.collect() or an automatic
    # one, walks all of it again, and by touching each object's header copies the parent's memory page by page into
    # the kernel. What a kernel allocates itself is collected as before.
    gc.collect()
    gc.freeze()
    requests = os.fdopen(0, "r")
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # a library printing to stdout must not corrupt the reply channel
    os.close(null)
    ctl_fds = [0, replies.fileno()]
    mounts = mount_points()
    exits: dict[int, int] = {}
    cpu: dict[int, float] = {}  # CPU seconds of each finished kernel, for the grader's cost figures
    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in requests:
        req = json.loads(line)
        op = req["op"]
        try:
            if op == "fork":
                reset(mounts, req.get("wipe", []))
                exits.clear()
                cpu.clear()
                with open(req["connection_file"], "w") as f:
                    f.write(req["connection"])
                os.makedirs(req["workdir"], exist_ok=True)
                pid = os.fork()
                if pid == 0:
                    run_kernel(req["connection_file"], req["workdir"], ctl_fds)
                reply = {"pid": pid}
            elif op == "poll":
                pid = req["pid"]
                reap_kernel(pid, exits, cpu)
                reply = {"returncode": exits.get(pid), "cpu": cpu.get(pid)}
            elif op == "signal":
                pid = req["pid"]
                if pid not in exits:
                    used = sandbox_cpu() if req["signum"] == signal.SIGKILL else None
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, req["signum"])
                    if req["signum"] == signal.SIGKILL:  # reap it now: the grader's next poll finds it gone
                        for _ in range(1000):
                            if reap_kernel(pid, exits, cpu):
                                cpu[pid] = max(cpu[pid] or 0.0, used)
                                break
                            time.sleep(0.001)
                reply = {"ok": True}
            elif op == "reset":
                reset(mounts, req.get("wipe", []))
                reply = {"ok": True}
            else:
                reply = {"error": f"unknown op {op!r}"}
        except Exception as err:  # noqa: BLE001 (reported to the grader, which replaces a broken server)
            reply = {"error": f"{type(err).__name__}: {err}"}
        replies.write(json.dumps(reply) + "\n")


def preload_agent() -> None:
    """The kernel's side of the hidden tests (grading/judging/agent.py, passed as the first argument), imported
    here once, as the grader would send it to each kernel."""
    if len(sys.argv) > 1:
        import types

        module = types.ModuleType("_grading_agent")
        exec(compile(sys.argv[1], "_grading_agent", "exec"), module.__dict__)  # noqa: S102 (the course's own file)
        sys.modules["_grading_agent"] = module


if __name__ == "__main__":
    preload_agent()
    serve()
