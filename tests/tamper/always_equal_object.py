# Tamper: returns objects whose comparisons and conversions always succeed.
# Expect: fails
# Screen: flags
class Anything:
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0.0

    def __float__(self):
        return 0.0


def graph_grads(w, x):
    return (Anything(), Anything())
