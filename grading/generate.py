"""`python -m grading.generate` (`make notebooks`), kept as a command: the code is grading/authoring/generate.py."""

import sys

from grading.authoring.generate import main

if __name__ == "__main__":
    sys.exit(main())
