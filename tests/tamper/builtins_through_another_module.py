# Tamper: reaches the builtins as an attribute of an allowed module (dataclasses.builtins) and rebinds
# isinstance there, without naming a denied builtin.
# Expect: fails
# Screen: flags
import dataclasses

dataclasses.builtins.isinstance = lambda obj, cls: True


def graph_grads(w, x):
    return (0.0, 0.0)
