# Timing a call, copying a model, a context manager and a decorator of one's own.
import copy
import time
import timeit
from contextlib import contextmanager


@contextmanager
def timer(label):
    start = time.perf_counter()
    yield
    print(label, f"{time.perf_counter() - start:.3f} s")


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


import functools

seconds = timeit.timeit(lambda: torch.ones(10).sum(), number=10)
model_copy = copy.deepcopy(nn.Linear(2, 1))
