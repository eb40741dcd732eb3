# Tamper: floods the output with tens of megabytes and writes to stderr.
# Expect: fails
# Screen: passes
import warnings

for _ in range(3000):
    print("x" * 10_000)
warnings.warn("y" * 1_000_000)


def graph_grads(w, x):
    return (0.0, 0.0)
