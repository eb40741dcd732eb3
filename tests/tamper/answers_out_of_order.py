# Tamper: the kernel's side of the tests answers each request with its answer to the one before (a stale
# answer taken for the next call would be judged as that call's).
# Expect: fails
# Screen: flags
import json
import sys

_agent = sys.modules.get("_grading_agent")
_held = []


def _shifted(prompt):
    """Send the previous answer instead of this one (the first goes as it is)."""
    _held.append(prompt)
    return input(_held[-2] if len(_held) > 1 and "seq" in json.loads(prompt) else prompt)


if _agent is not None:
    _agent.input = _shifted


def graph_grads(w, x):
    return (0.0, 0.0)
