# Misconception: switching requires_grad off on the caller's tensor instead of detaching a copy.
# Diagnosis: mutates_caller_state
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    if t.is_leaf:
        t.requires_grad_(False)
    else:
        t = t.detach()
    return t.cpu().numpy()
