"""Building the course from its one source of truth, grading/source/<nb>/<nb>.ipynb.

`generate` writes notebooks/ (nbgrader's student release) and solutions/ (executed) for `make notebooks`;
`source_checks` refuses source notebooks that nbgrader would grade wrongly. May import `grading.course`,
never `grading.judging` or `grading.class_grading`.
"""
