# Misconception: naming the linear layer `linear` instead of the notes' `features`.
# Diagnosis: layer_renamed
class LR(nn.Module):
    """Logistic regression: `features = nn.Linear(2, 1)` followed by a sigmoid; forward returns probabilities (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigmoid(self.linear(x))
