# Misconception: saving each .grad by reference and restoring it after backward(), but backward() accumulates in place into that very tensor.
# Diagnosis: mutates_caller_state
def grad_no_side_effects(f, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Return the gradient of the scalar f(*inputs) with respect to each input, as a tuple; leave every .grad unchanged."""
    saved = [t.grad for t in inputs]
    f(*inputs).backward()
    grads = tuple(t.grad.clone() for t in inputs)
    for t, old in zip(inputs, saved):
        t.grad = old
    return grads
