# Misconception: applying the sigmoid twice (nn.Sigmoid in forward on top of torch.sigmoid).
# Diagnosis: sigmoid_twice
class LR(nn.Module):
    """Logistic regression: `features = nn.Linear(2, 1)` followed by a sigmoid; forward returns probabilities (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Linear(2, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigmoid(torch.sigmoid(self.features(x)))
