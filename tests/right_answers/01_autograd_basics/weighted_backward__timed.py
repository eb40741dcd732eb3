# Right answer: honest habits: `import time` to time the backward pass, printed to stdout.
import time


def weighted_backward(w: float, x: float, weights: tuple[float, float]) -> float:
    """Return w.grad after back-propagating torch.cat([a*b, a+b]) with grad_tensors=weights."""
    w_t = torch.tensor([float(w)], requires_grad=True)
    x_t = torch.tensor([float(x)], requires_grad=True)
    a = w_t + x_t
    b = w_t + 1
    start = time.perf_counter()
    torch.autograd.backward(torch.cat([a * b, a + b]), grad_tensors=torch.tensor([float(v) for v in weights]))
    print(f"backward took {time.perf_counter() - start:.6f} s")
    return w_t.grad.item()
