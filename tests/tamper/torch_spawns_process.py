# Tamper: starts, through torch.multiprocessing (which the tamper screen allows), a process meant to outlive
# the kernel: the sandbox's pid namespace must end it with the kernel.
# Expect: prevented
import torch.multiprocessing as mp


def spin():
    while True:
        pass


def graph_grads(w, x):
    return (0.0, 0.0)


proc = mp.get_context("fork").Process(target=spin)
proc.start()
