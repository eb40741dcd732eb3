# Misconception: zeroing the gradients before and after backward() to "clean up", which wipes the caller's earlier .grad.
# Diagnosis: mutates_caller_state
def grad_no_side_effects(f, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Return the gradient of the scalar f(*inputs) with respect to each input, as a tuple; leave every .grad unchanged."""
    for t in inputs:
        t.grad = None
    f(*inputs).backward()
    grads = tuple(t.grad.clone() for t in inputs)
    for t in inputs:
        t.grad = None
    return grads
