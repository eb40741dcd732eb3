# Tamper: writes into the course folder through numpy (overwriting the gradebook would be the aim).
# Expect: fails
# Screen: passes
import numpy as np

np.savetxt("../../../gradebook.db", np.zeros(3))


def graph_grads(w, x):
    return (0.0, 0.0)
