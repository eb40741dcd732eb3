"""The grading side of the PyTorch autograd course.

grading/ is two things at once: the nbgrader course root (nbgrader_config.py, source/, and the scratch folders
nbgrader makes) and this Python package, installed into the course's environment (`pip install -e .`, done by
`make install`) so that nbgrader_config.py finds it from any folder. The package has one subpackage per job,
each importing only from the ones above it in this list:

- `grading.course`: what the course is: where its files live, how a notebook's cells are laid out. Imports
  nothing of the package.
- `grading.authoring`: building the course: checking the source notebooks, generating notebooks/ and
  solutions/ (`make notebooks`). Imports `grading.course`.
- `grading.judging`: judging one submission inside nbgrader: the tamper screen, the structure check and
  flags, the sandboxed kernel, feedback without hidden tests, hand-in statuses. Imports `grading.course`.
- `grading.class_grading`: grading a whole class fast (`python -m grading autograde`), the demo class and
  the example classes of the tests. Imports any of the above.

tests/test_layers.py fails on an import cycle or an import that goes up this list.
"""
