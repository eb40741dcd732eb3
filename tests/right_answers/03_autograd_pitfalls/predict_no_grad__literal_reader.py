# Right answer: a literal reader: the forward pass inside `with torch.no_grad():`, as the section says, the result returned after the block.
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    with torch.no_grad():
        out = model(X)
    return out
