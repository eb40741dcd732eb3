# Tamper: reaches the builtins through a function's globals and patches them without naming them.
# Expect: fails
# Screen: flags
def graph_grads(w, x):
    return (0.0, 0.0)


graph_grads.__globals__["__builtins__"]["isinstance"] = lambda obj, cls: True
