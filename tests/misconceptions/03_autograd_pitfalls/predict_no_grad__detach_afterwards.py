# Misconception: building the graph and detaching the result afterwards instead of not building it.
# Diagnosis: detach_instead_of_no_grad
def predict_no_grad(model, X: torch.Tensor) -> torch.Tensor:
    """Return model(X) computed without building a graph (the result has requires_grad False); the grad mode
    afterwards is what it was before, and the model's parameters and their .grad are left untouched."""
    return model(X).detach()
