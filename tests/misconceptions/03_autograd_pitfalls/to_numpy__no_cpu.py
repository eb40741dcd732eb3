# Misconception: detaching but not moving to the CPU, which fails for a tensor on a GPU.
# Diagnosis: cpu_missing
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    return t.detach().numpy()
