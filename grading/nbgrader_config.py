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

# The grading pipeline: a structure check and an advisory tamper screen before anything runs, student code in a
# bubblewrap sandbox, the graded test cells (hidden tests included) in this process with the student's names
# behind proxies that bring back data only, flags, and feedback that shows each hidden check's result and
# message but not its code. The classes live in the `grading` package (grading/judging/), installed into the
# course's environment by `make install` (`pip install -e <repository>`).
#
# The screen's findings flag a notebook for a human and cost only the checks that take the kernel's word (what
# it reports about side effects). To grade on the sandbox boundary alone, switch it off:
# c.CheckIntegrity.screen_code = False
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "grading.judging.integrity.CheckIntegrity",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "grading.judging.integrity.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "grading.judging.sandbox.SandboxedExecute",
    "grading.judging.integrity.ApplyFlags",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "grading.judging.integrity.RecordFlags",
    "nbgrader.preprocessors.AssignLatePenalties",
    "grading.judging.integrity.CheckCellMetadata",
]
# Late submissions (a due date set with `nbgrader db assignment add NAME --duedate=...`) lose 10 % of the notebook's
# score per started day late (grading/judging/late.py); c.LatePenalty.per_day = 1.0 gives zero after the deadline.
c.AssignLatePenalties.plugin_class = "grading.judging.late.LatePenalty"
c.GenerateFeedback.exporter_class = "grading.judging.feedback.FeedbackHTMLExporter"
c.GenerateFeedback.preprocessors = [
    "grading.judging.feedback.HideHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Fail closed. nbgrader catches an exception raised by this file, logs "Exception while loading config
# file" and grades with stock settings (no sandbox, no screen, hidden tests in the feedback); it does not
# catch SystemExit. So every class named above is imported here, and anything missing stops nbgrader.
import importlib
import os
import sys


def _unimportable(dotted_names: list[str]) -> list[str]:
    missing = []
    for dotted in dotted_names:
        module, _, name = dotted.rpartition(".")
        try:
            getattr(importlib.import_module(module), name)
        except Exception as err:  # noqa: BLE001 (any failure to import means the pipeline is incomplete)
            missing.append(f"{dotted} ({type(err).__name__}: {err})")
    return missing


_missing = _unimportable([*c.Autograde.sanitize_preprocessors, *c.Autograde.autograde_preprocessors,
                          c.GenerateFeedback.exporter_class, *c.GenerateFeedback.preprocessors,
                          c.AssignLatePenalties.plugin_class,
                          "grading.judging.sandbox.require_sandbox"])
if _missing:
    _repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    _where = _repo if os.path.isfile(os.path.join(_repo, "pyproject.toml")) else "<the course repository>"
    raise SystemExit(
        "Refusing to run: the course's grading pipeline cannot be imported by this Python "
        f"({sys.executable}):\n  " + "\n  ".join(_missing) + "\n"
        "Install the course's `grading` package into this environment: `make install` in the repository, or "
        f"`{sys.executable} -m pip install -e {_where}`. Without it nbgrader would grade with stock settings: "
        "no sandbox, no tamper screen, hidden tests shown in the feedback.")

# Refuse up front, before any student's code runs, when kernels cannot be sandboxed (the kernel manager
# refuses too, for autograding started from the formgrader). GRADING_ALLOW_UNSANDBOXED=1 opts out.
if sys.argv[1:2] == ["autograde"]:
    from grading.judging.sandbox import SandboxUnavailable, require_sandbox

    try:
        require_sandbox()
    except SandboxUnavailable as err:
        raise SystemExit(str(err)) from None
