# Tamper: a Tensor subclass whose every torch operation returns True.
# Expect: fails
# Screen: flags
class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True


def graph_grads(w, x):
    return (Liar([0.0]), Liar([0.0]))
