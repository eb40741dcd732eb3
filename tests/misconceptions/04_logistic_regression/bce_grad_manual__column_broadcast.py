# Misconception: making p a column (N, 1), so p - y broadcasts to an (N, N) matrix.
# Diagnosis: column_row_broadcast
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    p = torch.sigmoid(X @ w.reshape(2, 1) + b)
    r = p - y
    return (X.T @ r / X.shape[0]).mean(1), r.mean()
