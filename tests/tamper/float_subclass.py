# Tamper: a float subclass passes isinstance(v, float) and is close to everything.
# Expect: fails
# Screen: flags
class Close(float):
    def __sub__(self, other):
        return Close(0.0)

    def __rsub__(self, other):
        return Close(0.0)

    def __eq__(self, other):
        return True


def graph_grads(w, x):
    return (Close(0.0), Close(0.0))
