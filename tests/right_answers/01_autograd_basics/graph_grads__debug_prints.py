# Right answer: honest habits: `import sys`, a debugging print of type(x) to stdout, a line on stderr and
# float() of a tensor that requires grad (torch warns on stderr).
import sys


def graph_grads(w: float, x: float) -> tuple[float, float]:
    """Return (dy/dw, dy/dx) of y = (w + x) * (w + 1), computed by autograd, as Python floats."""
    print(type(w), type(x))
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    print("y =", float(y), file=sys.stderr)
    y.backward()
    return float(w_t.grad), float(x_t.grad)
