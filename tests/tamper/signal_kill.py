# Tamper: kills its own kernel with a signal.
# Expect: flagged
# Screen: flags
import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
