# Right answer: a literal reader: the five parts in the order the text lists them, the optimizer created once before
# the loop, accs from the accuracy function of exercise 3, the stop with >= after the step.
def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float = 0.01, momentum: float = 0.9,
          max_iters: int = 1000, target_acc: float = 0.99) -> dict:
    """Train model in place with nn.BCELoss and torch.optim.SGD(lr, momentum), zeroing gradients every step."""
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    losses = []
    accs = []
    for _ in range(max_iters):
        optimizer.zero_grad()
        probs = model(X)
        loss = loss_fn(probs.reshape(-1), y)
        losses.append(loss.item())
        acc = accuracy(probs, y)
        accs.append(acc)
        loss.backward()
        optimizer.step()
        if acc >= target_acc:
            break
    return {"losses": losses, "accs": accs, "iters": len(losses)}
