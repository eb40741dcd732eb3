# Tamper: never returns, ignoring the interrupt the grader sends at the time limit.
# Expect: flagged
# Screen: passes
def graph_grads(w, x):
    return (0.0, 0.0)


while True:
    try:
        while True:
            pass
    except KeyboardInterrupt:
        pass
