# Tamper: starts a process meant to outlive the kernel (and tamper with the gradebook later).
# Expect: fails
# Screen: flags
import subprocess

subprocess.Popen(["sleep", "1234"], start_new_session=True)


def graph_grads(w, x):
    return (0.0, 0.0)
