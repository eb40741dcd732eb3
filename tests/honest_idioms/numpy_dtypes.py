# numpy's scalar types as dtypes and as converters.
def to_numpy(t):
    a = np.array(t.detach().tolist(), dtype=np.float32)
    return a.astype(np.float64)


counts = np.zeros(3, dtype=np.int64)
x = np.float32(0.5)
