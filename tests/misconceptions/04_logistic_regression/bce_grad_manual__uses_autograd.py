# Misconception: asking autograd for the gradient instead of deriving it by hand.
# Diagnosis: uses_autograd
def bce_grad_manual(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Hand-derived gradient of mean BCE of sigmoid(X @ w + b) vs y: (X.T @ (p - y) / N, shape (2,); mean(p - y))."""
    w2 = w.detach().clone().requires_grad_(True)
    b2 = b.detach().clone().requires_grad_(True)
    loss = nn.BCELoss()(torch.sigmoid(X @ w2 + b2), y)
    gw, gb = torch.autograd.grad(loss, (w2, b2))
    return gw, gb
