# Tamper: reads the source notebook (hidden tests) and the gradebook from the course folder.
# Expect: fails
# Screen: flags
import glob

HIDDEN = [open(p).read() for p in glob.glob("../../../source/*/*.ipynb") + glob.glob("../../../gradebook.db")]


def graph_grads(w, x):
    return (0.0, 0.0)
