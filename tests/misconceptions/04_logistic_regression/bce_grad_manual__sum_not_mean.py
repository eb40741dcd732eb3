# Misconception: forgetting the 1/N of the mean: X.T @ (p - y) and sum(p - y).
# Diagnosis: sum_not_mean
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    r = torch.sigmoid(X @ w + b) - y
    return X.T @ r, r.sum()
