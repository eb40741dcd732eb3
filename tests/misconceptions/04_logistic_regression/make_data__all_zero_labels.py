# Misconception: the notes' typo y01 = torch.zeros: every label, class 1 included, is zero.
# Diagnosis: class1_labels_zero
def make_data(n_per_class: int = 100, mean: float = 1.7, bias: float = 1.0,
              seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (X, y): X float32 of shape (2n, 2), y float32 of shape (2n,).

    The first n rows are class 0 (label 0.0), drawn from N(mean + bias, 1) in each coordinate;
    the next n rows are class 1 (label 1.0), drawn from N(-mean + bias, 1).
    Draw from a local generator g = torch.Generator().manual_seed(seed), class 0 first, each class as
    torch.normal(±mean * torch.ones(n, 2), 1.0, generator=g) + bias. Leave the global random state alone.
    """
    g = torch.Generator().manual_seed(seed)
    ones = torch.ones(n_per_class, 2)
    x0 = torch.normal(mean * ones, 1.0, generator=g) + bias
    x1 = torch.normal(-mean * ones, 1.0, generator=g) + bias
    X = torch.cat((x0, x1), 0).float()
    y = torch.cat((torch.zeros(n_per_class), torch.zeros(n_per_class)), 0)
    return X, y
