"""Grading a whole class: `python -m grading autograde`, `python -m grading demo`, the example classes.

`autograde` (the main process, the only writer of the gradebook) hands submissions to `worker` processes,
which run nbgrader's own converters with kernels forked from a warm parent (`warm`, `forkserver`) in the
sandbox of `grading.judging.sandbox`; `report` draws progress and the summary; `classroom` builds classes
from the course's own material for `demo`, the tests and the benchmark. May import every other part of
`grading`; nothing else in `grading` imports it.
"""
