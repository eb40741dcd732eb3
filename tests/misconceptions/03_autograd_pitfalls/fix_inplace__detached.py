# Misconception: detaching to make the in-place add legal, which cuts the result off from the graph.
# Diagnosis: graph_cut_by_detach
def fix_inplace(x: torch.Tensor) -> torch.Tensor:
    """Return exp(x) + 1 computed out of place, so that backward through the result works
    (the in-place version y = torch.exp(x); y.add_(1) fails). x itself is not modified."""
    y = torch.exp(x).detach()
    y.add_(1)
    return y
