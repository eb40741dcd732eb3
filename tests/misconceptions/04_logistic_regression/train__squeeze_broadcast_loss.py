# Misconception: a hand-written loss on (N, 1) probabilities against (N,) labels, which broadcasts to (N, N).
# Diagnosis: column_row_broadcast
def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float = 0.01, momentum: float = 0.9,
          max_iters: int = 1000, target_acc: float = 0.99) -> dict:
    """Train model in place with nn.BCELoss and torch.optim.SGD(lr, momentum), zeroing gradients every step.

    Each iteration: zero_grad, forward, loss, record loss.item() and the accuracy (p >= 0.5, count / N) of this
    iteration's predictions, backward, step; then stop if that accuracy >= target_acc. At most max_iters iterations.
    Returns {"losses": list[float], "accs": list[float], "iters": int} with iters == len(losses).
    """
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses, accs = [], []
    for _ in range(max_iters):
        optimizer.zero_grad()
        probs = model(X)                      # (N, 1), compared below with y of shape (N,)
        loss = -(y * torch.log(probs) + (1 - y) * torch.log(1 - probs)).mean()
        acc = ((probs.detach().reshape(-1) >= 0.5).float() == y).sum().item() / y.numel()
        losses.append(loss.item())
        accs.append(acc)
        loss.backward()
        optimizer.step()
        if acc >= target_acc:
            break
    return {"losses": losses, "accs": accs, "iters": len(losses)}
