# Misconception: creating the optimizer inside the loop, which resets the momentum every iteration.
# Diagnosis: momentum_lost
def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float = 0.01, momentum: float = 0.9,
          max_iters: int = 1000, target_acc: float = 0.99) -> dict:
    """Train model in place with nn.BCELoss and torch.optim.SGD(lr, momentum), zeroing gradients every step.

    Each iteration: zero_grad, forward, loss, record loss.item() and the accuracy (p >= 0.5, count / N) of this
    iteration's predictions, backward, step; then stop if that accuracy >= target_acc. At most max_iters iterations.
    Returns {"losses": list[float], "accs": list[float], "iters": int} with iters == len(losses).
    """
    loss_fn = nn.BCELoss()
    losses, accs = [], []
    for _ in range(max_iters):
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        optimizer.zero_grad()
        probs = model(X).reshape(-1)
        loss = loss_fn(probs, y)
        acc = ((probs.detach() >= 0.5).float() == y).sum().item() / y.numel()
        losses.append(loss.item())
        accs.append(acc)
        loss.backward()
        optimizer.step()
        if acc >= target_acc:
            break
    return {"losses": losses, "accs": accs, "iters": len(losses)}
