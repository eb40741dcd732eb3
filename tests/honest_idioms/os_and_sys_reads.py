# Reading, not changing: the working folder, the cores, an environment variable, the Python version.
import os
import sys

here = os.getcwd()
cores = os.cpu_count() or 1

if sys.version_info < (3, 9):
    print("old Python", sys.version, file=sys.stderr)
print(os.path.join(here, "data"), os.sep, sys.float_info.epsilon, sys.maxsize)
sys.stdout.flush()
