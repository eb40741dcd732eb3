# Right answer: torch.autograd.backward on a graph built with torch.add/torch.mul, float() instead of .item(), a list comprehension.
def accumulated_grads(w: float, x: float, steps: int) -> list[float]:
    """Return w.grad (as Python floats) after each of `steps` backward calls on fresh graphs of
    y = (w + x) * (w + 1), never zeroing the gradient: [5.0, 10.0, 15.0, ...] at w=1, x=2."""
    w_t = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    x_t = torch.tensor(x, dtype=torch.float32, requires_grad=True)

    def one_step() -> float:
        torch.autograd.backward(torch.mul(torch.add(w_t, x_t), torch.add(w_t, 1)))
        return float(w_t.grad)

    return [one_step() for _ in range(steps)]
