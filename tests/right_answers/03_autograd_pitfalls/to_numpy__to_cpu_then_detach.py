# Right answer: .to("cpu") before .detach() (the other order) instead of .detach().cpu().
def to_numpy(t: torch.Tensor) -> np.ndarray:
    """Return a NumPy array (a view or a copy) with t's values, shape and dtype; works when t requires grad
    or lives on a GPU, and leaves t itself unchanged."""
    return t.to("cpu").detach().numpy()
