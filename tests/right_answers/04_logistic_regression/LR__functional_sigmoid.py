# Right answer: no nn.Sigmoid module; forward applies torch.sigmoid to features(x).
class LR(nn.Module):
    """Logistic regression: `features = nn.Linear(2, 1)` followed by a sigmoid; forward returns probabilities (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Linear(in_features=2, out_features=1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.features(x))
