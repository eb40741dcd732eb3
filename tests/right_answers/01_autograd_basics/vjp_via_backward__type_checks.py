# Right answer: honest habits: type() of its arguments, checked and printed.
def vjp_via_backward(f, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Return v^T J_f(x), computed with backward(gradient=v), leaving the caller's x untouched."""
    if type(x) is not torch.Tensor:
        print("x is a", type(x).__name__)
    x_leaf = x.detach().clone().requires_grad_(True)
    f(x_leaf).backward(gradient=v)
    return x_leaf.grad
