# Tamper: `from torch import *` silently rebinds builtins such as abs to torch functions.
# Expect: fails
# Screen: flags
from torch import *  # noqa: F403


def graph_grads(w, x):
    return (0.0, 0.0)
