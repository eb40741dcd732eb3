# Right answer: a literal reader: the recipe as the text prints it (a local generator, class 0 first,
# torch.normal(±mean * torch.ones(n, 2), 1.0, generator=g) + bias), labels from torch.zeros / torch.ones; no float()
# of mean or bias, since the text says ints work as they are.
def make_data(n_per_class: int = 100, mean: float = 1.7, bias: float = 1.0,
              seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (X, y): X float32 of shape (2n, 2), y float32 of shape (2n,)."""
    g = torch.Generator().manual_seed(seed)
    x0 = torch.normal(mean * torch.ones(n_per_class, 2), 1.0, generator=g) + bias
    x1 = torch.normal(-mean * torch.ones(n_per_class, 2), 1.0, generator=g) + bias
    X = torch.cat((x0, x1))
    y = torch.cat((torch.zeros(n_per_class), torch.ones(n_per_class)))
    return X, y
