# Right answer: a literal reader: converts x.detach() to float64 before perturbing (as the text says), builds x + h e_i and x - h e_i out of place, and fills a zeros_like result; nothing the text does not ask for (no no_grad, no clone).
def numerical_grad(f, x: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """Return the centred finite-difference gradient of the scalar f at x, in float64, with x's shape; x (float32 or float64, any shape, maybe requiring grad or holding a .grad) is not modified."""
    x64 = x.detach().to(torch.float64)
    grad = torch.zeros_like(x64)
    for i in range(x64.numel()):
        e = torch.zeros_like(x64)
        e.view(-1)[i] = h
        grad.view(-1)[i] = (f(x64 + e) - f(x64 - e)) / (2 * h)
    return grad
