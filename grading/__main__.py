"""python -m grading COMMAND: the course's commands, one per job (see grading/__init__.py)."""

from __future__ import annotations

import importlib
import sys

# command -> (module with main(argv), what it does)
COMMANDS = {
    "autograde": ("grading.class_grading.autograde",
                  "grade a class: python -m grading autograde [ASSIGNMENT ...] [--course DIR] [--jobs N] ..."),
    "report": ("grading.class_grading.item_analysis",
               "after grading: per hidden check its pass rate and discrimination, per student each exercise's points"),
    "classroom": ("grading.class_grading.hub",
                  "a class on a real JupyterHub on this machine (as root): an instructor, N students, the exchange"),
    "demo": ("grading.class_grading.demo", "build a small example class in a scratch course, grade it, print the summary"),
    "submissions": ("grading.judging.submissions", "say what is wrong with each hand-in: ASSIGNMENT [--course DIR]"),
    "handin": ("grading.judging.handin",
               "before handing in: what the grader will hold against a saved notebook: NOTEBOOK.ipynb ..."),
    "generate": ("grading.authoring.generate", "regenerate notebooks/ and solutions/ from grading/source (make notebooks)"),
    "translations": ("grading.course.translations", "what the Chinese edition (notebooks/zh/) still lacks: missing or stale"),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m grading {{{','.join(COMMANDS)}}} [options]\n", file=sys.stderr)
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:12s} {text}", file=sys.stderr)
        return 2
    module, _ = COMMANDS[argv[0]]
    return importlib.import_module(module).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
