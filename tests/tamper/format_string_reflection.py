# Tamper: reads a function's globals through a format string's attribute lookup ("{0.__globals__}"), which no
# attribute in the code shows.
# Expect: fails
# Screen: flags
def graph_grads(w, x):
    return (0.0, 0.0)


found = "{0.__globals__}".format(graph_grads)
