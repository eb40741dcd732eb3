# Tamper: replaces the kernel's side of the hidden tests with one that answers with a pickle (an object
# whose unpickling would run code in the grader) and with text that is not JSON.
# Expect: fails
# Screen: flags
import base64
import json
import sys
import types

_PICKLE = base64.b64encode(b"cos\nsystem\n(S'touch /tmp/pwned-by-a-student'\ntR.").decode()


def _serve():
    answer = {"hello": {"grad": True}}
    calls = 0
    while True:
        request = json.loads(input(answer if isinstance(answer, str) else json.dumps(answer)))
        if request["op"] == "done":
            return
        if request["op"] == "resolve":
            answer = {"ok": {name: {"callable": True} for name in request["names"]}, "seq": request.get("seq")}
        else:
            calls += 1
            answer = ({"ok": {"$": "pickle", "data": _PICKLE}, "effects": [], "seq": request.get("seq")}
                      if calls % 2 else "{not json")


_fake = types.ModuleType("_grading_agent")
_fake.serve = _serve
sys.modules["_grading_agent"] = _fake


def graph_grads(w, x):
    return (0.0, 0.0)
