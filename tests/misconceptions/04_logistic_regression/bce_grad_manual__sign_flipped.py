# Misconception: using y - p instead of p - y (the gradient of the log-likelihood, not of the loss).
# Diagnosis: loss_sign_flipped
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    r = y - torch.sigmoid(X @ w + b)
    return X.T @ r / X.shape[0], r.mean()
