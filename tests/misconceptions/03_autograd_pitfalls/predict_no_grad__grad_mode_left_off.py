# Misconception: switching grad mode off with torch.set_grad_enabled(False) on its own line and never restoring it.
# Diagnosis: grad_mode_left_off
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    torch.set_grad_enabled(False)
    return model(X)
