"""python -m grading autograde | demo: grade a class (grading/autograde.py), or a demo class (grading/demo.py)."""

from __future__ import annotations

import sys

COMMANDS = {
    "autograde": "grade a class: python -m grading autograde [ASSIGNMENT ...] [--course DIR] [--jobs N] ...",
    "demo": "build a small example class in a scratch course, grade it, print the summary",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m grading {autograde,demo} [options]\n", file=sys.stderr)
        for name, text in COMMANDS.items():
            print(f"  {name:10s} {text}", file=sys.stderr)
        return 2
    if argv[0] == "autograde":
        from grading.autograde import main as command
    else:
        from grading.demo import main as command
    return command(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
