"""nbgrader configuration of the course: the course root is this folder (grading/)."""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "pytorch-autograd"
c.CourseDirectory.db_assignments = [
    {"name": "01_autograd_basics"},
    {"name": "02_grad_higher_order"},
    {"name": "03_autograd_pitfalls"},
    {"name": "04_logistic_regression"},
]

# Every kernel gets the same pinned kernelspec; the course needs nothing else.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Grading is decided by assertions (error outputs). Anything a test cell writes to stderr, such as
# torch's warning on float() of a tensor that requires grad, or a student's debug print to stderr,
# would otherwise score the cell 0; drop it instead.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]"

# A student's notebook must not hang the grader: per-cell time limit, in seconds.
c.Execute.timeout = 120
