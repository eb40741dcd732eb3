# The standard library's functional helpers.
import functools
import itertools
import operator
from collections import Counter, OrderedDict, defaultdict, deque


@functools.lru_cache(maxsize=None)
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def compose(*fs):
    return functools.reduce(lambda f, g: lambda x: g(f(x)), fs)


total = functools.reduce(operator.add, [1, 2, 3])
pairs = list(itertools.product(range(2), repeat=2))
by_label = defaultdict(list)
counts = Counter("aab")
ordered = OrderedDict(a=1)
window = deque(maxlen=3)
square = functools.partial(pow, exp=2)
