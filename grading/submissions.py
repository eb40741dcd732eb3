"""`python -m grading.submissions`, kept as a command: the code is grading/judging/submissions.py."""

import sys

from grading.judging.submissions import main

if __name__ == "__main__":
    sys.exit(main())
