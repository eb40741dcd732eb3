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

# nbconvert validates the whole notebook after every preprocessor (about ten per notebook); once, after
# the last, catches the same invalid notebook at a tenth of the cost.
c.Exporter.optimistic_validation = True

# The grading pipeline of grading/{integrity,sandbox,feedback}.py: a tamper screen and structure check
# before anything runs, student code in a bubblewrap sandbox, flags that zero the checks they affect,
# and feedback that shows each hidden check's result and message but not its code.
import os
import sys

# the `grading` package lives next to this file's folder when nbgrader runs in grading/
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "grading.integrity.CheckIntegrity",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "grading.integrity.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "grading.sandbox.SandboxedExecute",
    "grading.integrity.ApplyFlags",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "grading.integrity.RecordFlags",
    "nbgrader.preprocessors.AssignLatePenalties",
    "grading.integrity.CheckCellMetadata",
]
c.GenerateFeedback.exporter_class = "grading.feedback.FeedbackHTMLExporter"
c.GenerateFeedback.preprocessors = [
    "grading.feedback.HideHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Refuse up front, before any student's code runs, when kernels cannot be sandboxed (the kernel manager
# refuses too, for autograding started from the formgrader). GRADING_ALLOW_UNSANDBOXED=1 opts out.
if sys.argv[1:2] == ["autograde"]:
    from grading.sandbox import SandboxUnavailable, require_sandbox

    try:
        require_sandbox()
    except SandboxUnavailable as err:
        raise SystemExit(str(err)) from None
