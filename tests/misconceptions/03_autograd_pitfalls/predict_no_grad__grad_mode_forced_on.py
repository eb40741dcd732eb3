# Misconception: switching grad mode off and then forcibly on again, instead of restoring what it was before.
# Diagnosis: grad_mode_forced_on
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    torch.set_grad_enabled(False)
    out = model(X)
    torch.set_grad_enabled(True)
    return out
