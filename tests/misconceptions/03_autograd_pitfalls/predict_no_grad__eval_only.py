# Misconception: mistaking model.eval() for switching off gradient tracking.
# Diagnosis: eval_disables_grad
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    model.eval()
    return model(X)
