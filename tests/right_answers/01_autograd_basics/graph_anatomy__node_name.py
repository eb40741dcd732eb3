# Right answer: builds the graph with torch.add/torch.mul, reads names with grad_fn.name() and fills the tables in a loop.
def graph_anatomy(w: float, x: float) -> dict:
    """Return {"is_leaf": {...}, "requires_grad": {...}, "grad_fn": {...}} for w, x, a, b, y of the worked example."""
    w_t = torch.tensor(float(w)).requires_grad_()
    x_t = torch.tensor(float(x)).requires_grad_()
    a = torch.add(w_t, x_t)
    b = torch.add(w_t, 1)
    y = torch.mul(a, b)
    tables = {"is_leaf": {}, "requires_grad": {}, "grad_fn": {}}
    for name, t in zip("wxaby", (w_t, x_t, a, b, y)):
        tables["is_leaf"][name] = bool(t.is_leaf)
        tables["requires_grad"][name] = bool(t.requires_grad)
        tables["grad_fn"][name] = None if t.grad_fn is None else t.grad_fn.name()
    return tables
