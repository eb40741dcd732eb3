# Misconception: going through Python lists, which turns float32 into float64.
# Diagnosis: dtype_lost_via_list
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    return np.array(t.tolist())
