# Tamper: allocates memory without bound, which the tamper screen cannot see: the sandbox's limit stops it.
# Expect: fails
# Screen: passes
BLOCKS = [torch.ones(2**28) for _ in range(1000)]


def graph_grads(w, x):
    return (0.0, 0.0)
