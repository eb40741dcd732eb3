"""Hidden tests run in the grader's process; the student's code runs in the sandboxed kernel behind proxies
(grading/judging/remote.py), over a wire of data only (grading/judging/wire.py).

`HiddenTestRunner` executes a graded test cell in a namespace of the grader's own (the notebook's setup imports,
run here too). The names the test takes from the notebook (`graph_grads`, `LR`, `X`) are looked up in the kernel
once per cell: functions and classes become proxies, values come over as data. Calling a proxy pickles the
function and its arguments to the kernel (grading/judging/agent.py), which calls the student's code and answers
with data only: JSON of Python scalars, strings and containers, tensors and arrays as raw buffers with dtype and
shape, modules as their state. Nothing from the kernel is unpickled, evaluated or imported here, answers are
size-capped, and a malformed one fails that check with a message.

So that a test reads the same in both processes, a call also brings back what it changed: the arguments' values,
requires_grad and .grad, a module's parameters and plain attributes, grad mode and the global random state (they
travel both ways). A result that requires grad is tied into the grader's autograd graph by `_RemoteGraph`, whose
backward asks the kernel for the vector-Jacobian product; an instance of the student's nn.Module class becomes a
`RemoteModule`, with its parameters and submodules here and its forward run in the kernel.

What the grader still takes on the kernel's word is what the kernel reports about side effects (the state
mirrored back): a check that reads it is recorded, and scores 0 in a submission the tamper screen flagged.
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import functools
import io
import json
import os
import time
from typing import Any

import zmq
from nbformat.notebooknode import NotebookNode

from grading.judging.helper_bans import library_helpers_reached
from grading.judging.kernel_word import TEST_FILENAME, reads_global_state, reads_kernel_report
from grading.judging.remote import AGENT_SOURCE, StudentFunction, _remote_graph_named, agent, remote_graph
from grading.judging.wire import (
    MAX_ANSWER_BYTES,
    Decoder,
    KernelAnswerError,
    _apply_module,
    _apply_tensor,
    _need,
    _tensor,
    dumps,
)

MAX_OUTPUT_CHARS = 1_000_000  # of the student's printing collected during one test cell
# sent once per kernel (the class grader's warm kernels have the agent already), then a short line per test cell:
# IPython tokenizes every cell it runs, and the agent's source is 25 kB
BOOT_CODE = (
    "__import__('sys').modules.get('_grading_agent') or __import__('builtins').exec("
    + repr("import sys, types\nm = types.ModuleType('_grading_agent')\n"
           f"exec({AGENT_SOURCE!r}, m.__dict__)\nsys.modules['_grading_agent'] = m\n")
    + ", {})"
)
SERVE_CODE = "__import__('sys').modules['_grading_agent'].serve()"


class KernelFailure(BaseException):
    """The kernel died or stopped answering: the test cell ends here (a BaseException, so that no test's
    `except` catches it)."""

    def __init__(self, reason: str, kind: str):
        super().__init__(reason)
        self.reason, self.kind = reason, kind



class RemoteError(Exception):
    """The student's code raised something that is not an Exception (SystemExit, KeyboardInterrupt)."""


# ---- the test's free names -----------------------------------------------------------------------------------

def free_names(source: str) -> set[str]:
    """Names a test cell reads and binds nowhere (not at its top level, not as a parameter or a local): the
    notebook's, or builtins."""
    tree = ast.parse(source)
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return loaded - bound


@functools.lru_cache(maxsize=1024)
def _compiled(source: str) -> tuple[Any, set[str]]:
    """A test cell's code and free names, parsed once per process: the class grader runs the same tests for
    every student."""
    return compile(source, TEST_FILENAME, "exec"), free_names(source)


# ---- the runner ---------------------------------------------------------------------------------------------------

class HiddenTestRunner:
    """The grader's side of one notebook's hidden tests: a namespace, and a conversation with its kernel."""

    def __init__(self, connection_info: dict, is_alive, timeout: int):
        # the sandboxed kernel sees no GPU (a bare /dev), so neither do the tests here; before CUDA starts up
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
        import torch

        remote_graph()
        agent()
        self.connection_info, self.is_alive, self.timeout = connection_info, is_alive, timeout
        self.ns: dict[str, Any] = {"__name__": "__grading_tests__", "__builtins__": builtins,
                                   "_grading_helpers_reached": library_helpers_reached}
        self.student_sources: list[str] = []  # the student's code cells before the current test (SandboxedExecute)
        self.client = None
        self.kernel_rng: bytes | None = None  # the kernel's global random state, as last synchronised
        self.kernel_word = False  # whether the current cell read state the kernel reported
        self.seq = 0  # the number of the last request of this cell: each answer names the one it answers
        torch.set_num_threads(1)  # the tests' tensors are small, and the kernel and other workers need the cores
        # every notebook starts from torch's defaults in this (long-lived) process
        torch.set_grad_enabled(True)
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default")

    # -- the notebook's setup, in this process too
    def setup(self, source: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(source, "<setup cell>", "exec"), self.ns)  # noqa: S102 (the course's own cell)

    # -- one test cell
    def run_cell(self, source: str, deadline_s: int) -> tuple[list[NotebookNode], bool]:
        """Run a test cell here. Returns its outputs and whether it read state the kernel reported.

        The time limit counts the time spent waiting for the kernel, not the test's own computing here."""
        self.kernel_time_left = float(deadline_s)
        self.outputs: list[NotebookNode] = []
        self.output_chars = 0
        # a test that reads grad mode or the random state after a call reads what the kernel reported
        self.kernel_word = reads_global_state(source)
        self.source = source
        self.calls = 0
        self._connect()
        self.msg_id = self.client.execute(SERVE_CODE, silent=False, store_history=False, allow_stdin=True,
                                          stop_on_error=False)
        self.in_conversation = True
        printed = io.StringIO()
        error = None
        try:
            self.seq = 0
            hello = self._next_answer("starting the test")
            try:
                _need(type(hello.get("hello")) is dict, "no greeting")
                self._adopt(hello["hello"])
            except KernelAnswerError as err:
                raise KernelAnswerError(f"the kernel's greeting is not valid data ({err})") from None
            code, names = _compiled(source)
            names = sorted(n for n in names if n not in self.ns and not hasattr(builtins, n))
            if names:
                self._resolve(names)
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
                exec(code, self.ns)  # noqa: S102 (the course's own test)
        except KernelFailure:
            self.in_conversation = False
            raise
        except Exception as err:  # noqa: BLE001 (the test's verdict)
            error = err
        finally:
            for name in [n for n, v in self.ns.items() if isinstance(v, StudentFunction)]:
                del self.ns[name]  # looked up afresh for the next cell
        self._finish()
        self.kernel_word = self.kernel_word and self.calls > 0
        if printed.getvalue():
            self.outputs.append(NotebookNode(output_type="stream", name="stdout", text=printed.getvalue()))
        if error is not None:
            self.outputs.append(_error(error))
        return self.outputs, self.kernel_word

    def _resolve(self, names: list[str]) -> None:
        answer = self._request({"op": "resolve", "names": names}, "looking up " + ", ".join(names))
        found = answer.get("ok")
        _need(type(found) is dict, "a bad answer to a name lookup")
        decode = Decoder(self, [])
        for name, desc in found.items():
            if name not in names or type(desc) is not dict:
                continue
            if desc.get("callable"):
                self.ns[name] = StudentFunction(self, name)
            # a module of the kernel's is not imported here: a test uses the modules it imports itself
            elif "value" in desc:
                self.ns[name] = decode(desc["value"])

    # -- calls
    def call(self, fn: Any, args: tuple, kwargs: dict, what: str) -> Any:
        import torch

        a = agent()
        tracked = a.tracked([fn, args, kwargs])
        inputs = a.graph_inputs(tracked)
        try:
            payload = dumps((fn, args, kwargs))
        except Exception as err:  # noqa: BLE001
            raise RuntimeError(f"the grader could not send the arguments of {what} to the kernel: {err}") from None
        answer = self._request({"op": "call", "pickle": payload}, what)
        self.calls += 1
        decode = Decoder(self, tracked)
        try:
            effects = answer.get("effects", [])
            _need(type(effects) is list, "bad side effects")
            for item in effects:
                _need(type(item) is list and len(item) == 2 and type(item[0]) is int and 0 <= item[0] < len(tracked),
                      "a side effect on no argument")
                obj = tracked[item[0]]
                if isinstance(obj, torch.nn.Module):
                    _apply_module(obj, item[1], decode)
                else:
                    _apply_tensor(obj, item[1])
            if "raised" in answer:
                raised = _rebuild_exception(answer["raised"])
            else:
                raised = None
                graph = answer.get("graph")
                if graph is not None:
                    decode.graph_outputs = self._graph_outputs(answer["ok"], graph, inputs)
                result = decode(answer.get("ok"))
        except KernelAnswerError as err:
            raise KernelAnswerError(f"the kernel's answer to {what} is not valid data ({err})") from None
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise KernelAnswerError(f"the kernel's answer to {what} is not valid data ({err!r})") from None
        # the arguments' state after the call is the kernel's report: a check that reads it takes the kernel's word
        if not self.kernel_word and reads_kernel_report(self.source, self.ns, tracked, None if raised else result):
            self.kernel_word = True
        if raised is not None:
            raise raised
        return result

    def _graph_outputs(self, node: Any, graph: Any, inputs: list) -> list:
        import torch

        _need(type(graph) is dict and type(graph.get("id")) is int and graph.get("inputs") == len(inputs),
              "a graph that does not match the call's inputs")
        found: list = []

        def collect(n, depth=0):
            _need(depth < 64, "data nested too deeply")
            if type(n) is dict:
                if n.get("$") == "tensor" and "graph_output" in n:
                    found.append(n)
                for v in n.values():
                    if type(v) in (list, dict):
                        collect(v, depth + 1)
            elif type(n) is list:
                for v in n:
                    collect(v, depth + 1)

        collect(node)
        found.sort(key=lambda n: n["graph_output"] if type(n["graph_output"]) is int else -1)
        _need([n["graph_output"] for n in found] == list(range(len(found))), "bad graph outputs")
        values = [_tensor(n) for n in found]
        mask = [t.requires_grad for t in inputs]  # the inputs tied in, as they are now
        # without any, a leaf of no use keeps the results attached to a graph, as they are in the kernel
        connect = [t for t, m in zip(inputs, mask) if m] or [torch.zeros((), requires_grad=True)]
        function = _remote_graph_named(graph.get("grad_fn"))
        with torch.enable_grad():
            outs = list(function.apply((self, graph["id"], inputs, mask), values, *connect))
        for k, (n, out) in enumerate(zip(found, outs)):
            if not n.get("requires_grad") and out.requires_grad:
                outs[k] = out.detach()
        return outs

    def backward(self, graph: int, grads: list, inputs: list, mask: list[bool]) -> list:
        """The gradients of a call's inputs (those tied into the graph, `mask`) for the results' `grads`,
        computed by the kernel."""
        import torch

        if not self.in_conversation:
            raise RuntimeError("a result of the student's code was back-propagated after its test cell ended")
        answer = self._request({"op": "backward", "graph": graph, "pickle": dumps(grads)}, "backward()")
        if "raised" in answer:
            raise _rebuild_exception(answer["raised"])
        got = Decoder(self, [])(answer.get("ok"))
        _need(type(got) is list and len(got) == len(inputs), "a gradient for each input expected")
        out = []
        for t, g, tied in zip(inputs, got, mask):
            if tied:
                _need(g is None or (isinstance(g, torch.Tensor) and g.shape == t.shape),
                      "a gradient of the wrong shape")
                out.append(None if g is None else g.to(t.dtype))
        return out if any(mask) else [None]

    # -- the conversation
    def _connect(self) -> None:
        if self.client is not None:
            return
        from jupyter_client.blocking import BlockingKernelClient

        context = zmq.Context()
        context.setsockopt(zmq.MAXMSGSIZE, MAX_ANSWER_BYTES + 2**20)
        context.setsockopt(zmq.LINGER, 1000)
        client = BlockingKernelClient(context=context)
        info = dict(self.connection_info)
        client.load_connection_info(info)
        client.start_channels(shell=True, iopub=True, stdin=True, hb=False)
        self.client = client
        # the kernel is up (nbclient waited for it); one round trip sees this client connected, a second installs
        # the agent where it is missing (not jupyter_client's wait_for_ready, which idles 0.2 s on IOPub)
        for msg_id in (client.kernel_info(), client.execute(BOOT_CODE, silent=True, store_history=False)):
            deadline = time.monotonic() + max(1.0, self.kernel_time_left)
            while time.monotonic() < deadline:
                with contextlib.suppress(Exception):  # queue.Empty: not yet
                    if client.get_shell_msg(timeout=0.5)["parent_header"].get("msg_id") == msg_id:
                        break

    def close(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
            self.client.context.destroy(linger=0)
            self.client = None

    def reconnect(self) -> None:
        """After the kernel was replaced by a fresh one: a new conversation, the old state forgotten."""
        self.close()
        self.kernel_rng = None

    def _state(self) -> dict:
        import torch

        state: dict[str, Any] = {"grad": torch.is_grad_enabled()}
        rng = torch.get_rng_state().numpy().tobytes()
        if rng != self.kernel_rng:
            state["rng"] = base64.b64encode(rng).decode()
            self.kernel_rng = rng
        return state

    def _adopt(self, state: Any) -> None:
        import torch

        _need(type(state) is dict, "a bad kernel state")
        if type(state.get("rng")) is str:
            raw = base64.b64decode(state["rng"], validate=True)
            _need(len(raw) == torch.get_rng_state().numel(), "a bad random state")
            self.kernel_rng = raw
        if self.kernel_rng is not None:
            current = torch.get_rng_state()
            if current.numpy().tobytes() != self.kernel_rng:
                torch.set_rng_state(torch.frombuffer(bytearray(self.kernel_rng), dtype=torch.uint8))
        if type(state.get("grad")) is bool:
            torch.set_grad_enabled(state["grad"])

    def _request(self, req: dict, what: str) -> dict:
        if not self.in_conversation:
            raise RuntimeError(f"{what} was called outside a test cell")
        self.seq += 1
        req.update(self._state(), seq=self.seq)
        self.client.input(json.dumps(req))
        answer = self._next_answer(what)
        # an answer sent ahead of its request, twice, or to an earlier one: never taken for this call's
        if answer.get("seq") != self.seq:
            raise KernelAnswerError(f"the kernel's answer to {what} answers another request (number "
                                    f"{str(answer.get('seq'))[:20]}, not {self.seq}): answers out of order")
        if "grad" in answer or "rng" in answer:
            self._adopt({k: answer[k] for k in ("grad", "rng") if k in answer})
        return answer

    def _next_answer(self, what: str) -> dict:
        client = self.client
        poller = zmq.Poller()
        for channel in (client.stdin_channel, client.iopub_channel, client.shell_channel):
            poller.register(channel.socket, zmq.POLLIN)
        started = time.monotonic()
        try:
            return self._wait_answer(client, poller, what, started)
        finally:
            self.kernel_time_left -= time.monotonic() - started

    def _wait_answer(self, client, poller, what: str, started: float) -> dict:
        last_check = started
        while True:
            left = self.kernel_time_left - (time.monotonic() - started)
            if left <= 0:
                raise KernelFailure(f"the kernel stopped answering after {self.timeout} s while running `{what}`",
                                    "timeout")
            ready = dict(poller.poll(min(left, 1.0) * 1000))
            if client.iopub_channel.socket in ready:
                while client.iopub_channel.msg_ready():
                    self._output(client.iopub_channel.get_msg(timeout=0))
            if client.shell_channel.socket in ready:
                msg = client.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == self.msg_id:
                    self.in_conversation = False  # the kernel lives on, but something ended its side of the test
                    raise KernelFailure(f"the kernel's side of the test stopped while running `{what}` "
                                        f"({_ended_why(self.outputs)})", "ended")
            if client.stdin_channel.socket in ready:
                msg = client.stdin_channel.get_msg(timeout=0)
                if msg["header"]["msg_type"] == "input_request":
                    prompt = msg["content"].get("prompt", "")
                    try:
                        _need(len(prompt) <= MAX_ANSWER_BYTES, "an answer over the size limit")
                        answer = json.loads(prompt)
                        _need(type(answer) is dict, "an answer that is not a JSON object")
                    except (ValueError, RecursionError) as err:
                        raise KernelAnswerError(f"the kernel's answer to {what} could not be read ({err})") from None
                    return answer
            if time.monotonic() - last_check > 1.0:
                last_check = time.monotonic()
                if not self.is_alive():
                    self.in_conversation = False
                    raise KernelFailure(f"the kernel died while running `{what}` (exit, signal or a resource limit)",
                                        "crash")

    def _output(self, msg: dict) -> None:
        if msg["parent_header"].get("msg_id") != self.msg_id:
            return
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind not in ("stream", "display_data", "error") or self.output_chars > MAX_OUTPUT_CHARS:
            return
        if kind == "stream":
            text = str(content.get("text", ""))
            self.output_chars += len(text)
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream" and last.name == content.get("name"):
                last.text += text
            else:
                self.outputs.append(NotebookNode(output_type="stream", name=str(content.get("name")), text=text))
        elif kind == "display_data":
            self.output_chars += len(json.dumps(content.get("data", {})))
            self.outputs.append(NotebookNode(output_type="display_data", data=content.get("data", {}), metadata={}))
        else:
            self.outputs.append(NotebookNode(output_type="error", ename=str(content.get("ename")),
                                             evalue=str(content.get("evalue")), traceback=[]))

    def _finish(self) -> None:
        """Tell the kernel the cell is over (with the grader's grad mode and random state) and collect what the
        student's code printed."""
        if not self.in_conversation:
            return
        req = {"op": "done", **self._state()}
        self.client.input(json.dumps(req))
        self.in_conversation = False
        deadline = time.monotonic() + max(self.kernel_time_left, 1.0)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelFailure(f"the kernel stopped answering after {self.timeout} s at the end of the test",
                                    "timeout")
            try:
                msg = self.client.get_shell_msg(timeout=min(left, 1.0))
            except Exception:  # noqa: BLE001 (queue.Empty)
                if not self.is_alive():
                    raise KernelFailure("the kernel died at the end of the test", "crash") from None
                continue
            if msg["parent_header"].get("msg_id") == self.msg_id:
                break
        # the outputs published before the reply; idle comes last
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            try:
                msg = self.client.get_iopub_msg(timeout=0.5)
            except Exception:  # noqa: BLE001 (queue.Empty)
                break
            if msg["parent_header"].get("msg_id") == self.msg_id and msg["header"]["msg_type"] == "status" \
                    and msg["content"].get("execution_state") == "idle":
                break
            self._output(msg)


def _ended_why(outputs: list) -> str:
    errors = [o for o in outputs if o.output_type == "error"]
    return f"{errors[-1].ename}: {errors[-1].evalue}" if errors else "it returned early"


def _rebuild_exception(raised: Any) -> BaseException:
    _need(type(raised) is dict and type(raised.get("mro")) is list and type(raised.get("message")) is str,
          "a bad exception")
    message = raised["message"]
    for name in raised["mro"]:
        cls = getattr(builtins, str(name), None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                return cls(message) if message else cls()
            except TypeError:
                continue
    return RemoteError(f"{raised['mro'][0] if raised['mro'] else '?'}: {message}")


def _error(err: BaseException) -> NotebookNode:
    ename, evalue = type(err).__name__, str(err)
    if len(evalue) > 20000:  # a message quoting a huge answer of the kernel's
        evalue = evalue[:20000] + " [...]"
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])

