# Misconception: using backward() and reading .grad, which writes (accumulates into) the caller's gradients.
# Diagnosis: mutates_caller_state
def grad_no_side_effects(f, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Return the gradient of the scalar f(*inputs) with respect to each input, as a tuple; leave every .grad unchanged."""
    f(*inputs).backward()
    return tuple(t.grad.clone() for t in inputs)
