# Misconception: squeezing the output to shape (N,) (and to a 0-dim tensor for N = 1).
# Diagnosis: output_squeezed
class LR(nn.Module):
    """Logistic regression: `features = nn.Linear(2, 1)` followed by a sigmoid; forward returns probabilities (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Linear(2, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigmoid(self.features(x)).squeeze()
