# f-strings with formats, str.format with plain fields, asserts with messages, a generator.
def describe(t):
    assert isinstance(t, torch.Tensor), f"expected a tensor, got {type(t).__name__}"
    return f"{t.item():.4f} ({t.dtype!s:>10}) {t.shape=}"


def batches(x, size):
    for start in range(0, len(x), size):
        yield x[start:start + size]


print("loss {:.3f} after {} steps".format(0.25, 10))
print("%s: %.2f" % ("acc", 0.99))
names = ", ".join(str(k) for k in range(3))
