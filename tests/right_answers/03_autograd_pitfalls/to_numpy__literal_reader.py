# Right answer: a literal reader: handles exactly the two cases the text names, detaching only when t requires grad and copying only when t is not on the CPU.
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    if t.requires_grad:
        t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    return t.numpy()
