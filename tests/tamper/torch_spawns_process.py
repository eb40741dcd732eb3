# Tamper: starts, through torch.multiprocessing, a process meant to outlive the kernel (the sandbox's pid
# namespace ends it with the kernel in any case).
# Expect: fails
# Screen: flags
import torch.multiprocessing as mp


def spin():
    while True:
        pass


def graph_grads(w, x):
    return (0.0, 0.0)


proc = mp.get_context("fork").Process(target=spin)
proc.start()
