# Right answer: a while loop, gradients cleared by setting each parameter's .grad to None, predictions via torch.where.
def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float = 0.01, momentum: float = 0.9,
          max_iters: int = 1000, target_acc: float = 0.99) -> dict:
    """Train model in place with nn.BCELoss and torch.optim.SGD(lr, momentum), zeroing gradients every step.

    Each iteration: zero_grad, forward, loss, record loss.item() and the accuracy (p >= 0.5, count / N) of this
    iteration's predictions, backward, step; then stop if that accuracy >= target_acc. At most max_iters iterations.
    Returns {"losses": list[float], "accs": list[float], "iters": int} with iters == len(losses).
    """
    params = list(model.parameters())
    opt = torch.optim.SGD(params, lr=lr, momentum=momentum)
    criterion = nn.BCELoss()
    history = {"losses": [], "accs": []}
    target = y.flatten()
    while len(history["losses"]) < max_iters:
        for p in params:
            p.grad = None
        probs = model(X).squeeze(1)
        loss = criterion(probs, target)
        with torch.no_grad():
            pred = torch.where(probs >= 0.5, 1.0, 0.0)
            acc = float((pred == target).sum()) / target.numel()
        history["losses"].append(float(loss))
        history["accs"].append(acc)
        loss.backward()
        opt.step()
        if acc >= target_acc:
            break
    history["iters"] = len(history["losses"])
    return history
