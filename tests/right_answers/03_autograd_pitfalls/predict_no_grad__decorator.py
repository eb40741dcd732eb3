# Right answer: @torch.no_grad() as a decorator instead of a with-block.
@torch.no_grad()
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    return model(X)
