# Right answer: torch.inference_mode() instead of torch.no_grad(), which the notebook calls a stricter no_grad; the result is an inference tensor.
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    with torch.inference_mode():
        return model(X)
