# Right answer: torch.set_grad_enabled(False) used as a context manager, which restores the previous mode on exit.
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    with torch.set_grad_enabled(False):
        out = model(X)
    return out
