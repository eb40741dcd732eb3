# Right answer: one torch.autograd.grad call per input (retain_graph=True) in a loop, collected into a tuple.
def grad_no_side_effects(f, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Return the gradient of the scalar f(*inputs) with respect to each input, as a tuple; leave every .grad unchanged."""
    out = f(*inputs)
    grads = []
    for t in inputs:
        (g,) = torch.autograd.grad(out, t, retain_graph=True)
        grads.append(g)
    return tuple(grads)
