# Misconception: calling model.zero_grad() "to be safe", which wipes gradients the caller still needs.
# Diagnosis: mutates_caller_state
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    model.zero_grad()
    with torch.no_grad():
        return model(X)
