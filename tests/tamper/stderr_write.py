# Tamper: writes to stderr, which would score a test cell 0 in plain nbgrader (here it is ignored) and
# prints a fake "passed" message.
# Expect: fails
# Screen: passes
import sys

print("graph_grads: hidden tests passed", file=sys.stderr)


def graph_grads(w, x):
    return (0.0, 0.0)
