# Tamper: raises SystemExit to stop the notebook.
# Expect: flagged
import sys


def graph_grads(w, x):
    return (0.0, 0.0)


sys.exit(0)
