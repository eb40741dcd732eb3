# Right answer: a literal reader: the section says torch.autograd.grad returns the gradients as a tuple and leaves every .grad alone, so one call with the inputs tuple is all the text asks for.
def grad_no_side_effects(f, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Return the gradient of the scalar f(*inputs) with respect to each input, as a tuple; leave every .grad unchanged."""
    out = f(*inputs)
    return torch.autograd.grad(out, inputs)
