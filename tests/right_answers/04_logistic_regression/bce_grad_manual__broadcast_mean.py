# Right answer: averages (p - y)[:, None] * X over the rows instead of X.T @ (p - y) / N, and detaches instead of no_grad.
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    z = X @ w.detach() + b.detach()
    r = 1 / (1 + torch.exp(-z)) - y
    return (r.unsqueeze(1) * X).mean(dim=0), r.mean()
