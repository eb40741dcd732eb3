# Misconception: switching requires_grad off on the model's parameters, which freezes them for training too.
# Diagnosis: mutates_caller_state
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    model.requires_grad_(False)
    return model(X)
