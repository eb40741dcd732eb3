# Right answer: fills empty tensors with Tensor.normal_(±mean, 1, generator=g) and builds the labels with torch.full, instead of torch.normal on a mean tensor.
def make_data(n_per_class: int = 100, mean: float = 1.7, bias: float = 1.0,
              seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (X, y): X float32 of shape (2n, 2), y float32 of shape (2n,).

    The first n rows are class 0 (label 0.0), drawn from N(mean + bias, 1) in each coordinate;
    the next n rows are class 1 (label 1.0), drawn from N(-mean + bias, 1).
    Draw from a local generator g = torch.Generator().manual_seed(seed), class 0 first, each class as
    torch.normal(±mean * torch.ones(n, 2), 1.0, generator=g) + bias. Leave the global random state alone.
    """
    g = torch.Generator()
    g.manual_seed(seed)
    parts = []
    for sign in (1.0, -1.0):
        parts.append(torch.empty(n_per_class, 2).normal_(sign * mean, 1.0, generator=g) + bias)
    X = torch.vstack(parts)
    y = torch.cat([torch.full((n_per_class,), 0.0), torch.full((n_per_class,), 1.0)])
    return X, y
