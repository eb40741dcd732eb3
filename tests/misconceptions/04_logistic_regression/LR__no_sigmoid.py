# Misconception: returning the log-odds (logits) of the linear layer, without the sigmoid.
# Diagnosis: sigmoid_missing
class LR(nn.Module):
    """Logistic regression: `features = nn.Linear(2, 1)` followed by a sigmoid; forward returns probabilities (N, 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)
