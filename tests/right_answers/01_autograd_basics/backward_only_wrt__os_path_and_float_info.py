# Right answer: honest habits: `import os.path` (a log file name it never writes) and sys.float_info.
import os.path
import sys

LOG = os.path.join("logs", "backward_only_wrt.txt")


def backward_only_wrt(w: float, x: float) -> tuple[float | None, float | None]:
    """Return (w.grad, x.grad), as floats or None, after backward(inputs=[x]) on the worked example."""
    w_t = torch.tensor(float(w), requires_grad=True)
    x_t = torch.tensor(float(x), requires_grad=True)
    y = (w_t + x_t) * (w_t + 1)
    y.backward(inputs=[x_t])
    if abs(float(x_t.grad) - (float(w) + 1)) > 1e3 * sys.float_info.epsilon * max(1.0, abs(float(w))):
        print(f"unexpected gradient (would log to {LOG})", file=sys.stderr)
    return None if w_t.grad is None else w_t.grad.item(), x_t.grad.item()
