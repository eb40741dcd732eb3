# Misconception: calling t.numpy() directly, which refuses a tensor that requires grad.
# Diagnosis: cpu_missing, numpy_without_detach
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    return t.numpy()
