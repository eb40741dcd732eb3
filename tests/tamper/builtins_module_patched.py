# Tamper: patches the builtins module itself, which every later cell sees.
# Expect: flagged
# Screen: flags
import builtins

builtins.isinstance = lambda obj, cls: True


def graph_grads(w, x):
    return (0.0, 0.0)
