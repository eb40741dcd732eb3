# Tamper: reads course files through numpy, which the tamper screen allows: the sandbox must hide them.
# Expect: fails
# Screen: passes
import numpy as np

SOURCE = np.loadtxt("../../../source/01_autograd_basics/01_autograd_basics.ipynb", dtype=str, delimiter="\x00")


def graph_grads(w, x):
    return tuple(float(len(SOURCE)) for _ in range(2))
