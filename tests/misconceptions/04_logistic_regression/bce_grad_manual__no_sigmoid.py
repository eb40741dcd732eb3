# Misconception: using the log-odds z instead of p = sigmoid(z) in p - y.
# Diagnosis: sigmoid_missing
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    r = (X @ w + b) - y
    return X.T @ r / X.shape[0], r.mean()
