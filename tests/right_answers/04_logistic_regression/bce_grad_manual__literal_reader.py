# Right answer: a literal reader: the two formulas of the text, X.T @ (p - y) / N and mean(p - y) with p = sigmoid(X @
# w + b), no detach and no torch.no_grad (the text says w and b may require grad; the checks compare the numbers).
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y."""
    p = torch.sigmoid(X @ w + b)
    grad_w = X.T @ (p - y) / X.shape[0]
    grad_b = (p - y).mean()
    return grad_w, grad_b
