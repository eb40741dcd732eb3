# Tamper: replaces the kernel's side of the hidden tests with one that answers every call with the worked
# example's (5.0, 2.0), whatever the arguments.
# Expect: fails
# Screen: flags
import json
import sys
import types


def _serve():
    answer = {"hello": {"grad": True}}
    while True:
        request = json.loads(input(json.dumps(answer)))
        if request["op"] == "done":
            return
        if request["op"] == "resolve":
            answer = {"ok": {name: {"callable": True} for name in request["names"]}, "seq": request.get("seq")}
        else:
            answer = {"ok": {"$": "tuple", "items": [5.0, 2.0]}, "effects": [], "seq": request.get("seq")}


_fake = types.ModuleType("_grading_agent")
_fake.serve = _serve
sys.modules["_grading_agent"] = _fake


def graph_grads(w, x):
    return (0.0, 0.0)
