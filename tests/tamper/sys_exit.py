# Tamper: raises SystemExit to stop the notebook.
# Expect: fails
# Screen: passes
import sys


def graph_grads(w, x):
    return (0.0, 0.0)


sys.exit(0)
