"""Which names a hidden check reads after a call (grading/judging/kernel_word.py): what decides whether a flag
costs the check. The call is the one to `f`; its span comes from the source, as the grader takes it from the
running frame."""

from __future__ import annotations

import ast

import pytest

from grading.judging.kernel_word import read_after, reads_global_state


def _call_position(source: str) -> tuple[int, int, int, int]:
    call = next(n for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "f")
    return call.lineno, call.end_lineno, call.col_offset, call.end_col_offset


CASES = {  # source, names held, names read after the call
    "later_line": ("out = f(x)\nassert x.grad is None\n", {"x"}, {"x"}),
    "only_passed": ("out = f(x)\nassert out == 2\n", {"x"}, set()),
    "copy_passed": ("out = f(x.clone())\nassert torch.equal(out, ref(x))\n", {"x"}, {"x"}),
    "same_statement_after": ("assert torch.equal(f(x), x)\n", {"x"}, {"x"}),
    "same_statement_before": ("assert torch.equal(x, f(x))\n", {"x"}, set()),
    "loop_around_the_call": ("for _ in range(2):\n    print(x)\n    out = f(x)\n", {"x"}, {"x"}),
    "inside_a_function": ("def check():\n    return x.sum()\nout = f(x)\n", {"x"}, {"x"}),
    "in_a_comprehension": ("out = f(x)\nok = [v for v in range(3)]\n", {"x"}, set()),
    "comprehension_reads": ("ok = [x[i] for i in range(2)]\nout = f(x)\n", {"x"}, {"x"}),
    "only_before": ("print(x)\nout = f(x)\n", {"x"}, set()),
    # a loop that binds the name afresh, on every iteration, before it reads it, reads a new object each time
    "loop_binds_first": ("for _ in range(2):\n    x = make()\n    x.grad = 1\n    out = f(x)\n", {"x"}, set()),
    "loop_target": ("for x in xs:\n    print(x)\n    out = f(x)\n", {"x"}, set()),
    "loop_binds_from_itself": ("for _ in range(2):\n    x = x.clone()\n    out = f(x)\n", {"x"}, {"x"}),
    "loop_binds_only_sometimes": ("for i in range(2):\n    if i:\n        x = make()\n    print(x)\n    out = f(x)\n",
                                  {"x"}, {"x"}),
    "loop_binds_after_reading": ("for _ in range(2):\n    print(x)\n    x = make()\n    out = f(x)\n", {"x"}, {"x"}),
    "inner_loop_reads_unbound": (("for _ in range(2):\n    x = make()\n    for _ in range(2):\n        print(x)\n"
                                  "        out = f(x)\n"), {"x"}, {"x"}),
    "outer_loop_binds_for_inner": (("for _ in range(2):\n    x = make()\n    print(x)\n    for _ in range(2):\n"
                                    "        out = f(x)\n"), {"x"}, set()),
    # an assert's message runs only once the assert failed: a hint there cannot change the verdict
    "hint_in_a_message": ("out = f(x)\nassert out == 2, f'got {out}' + (' (x changed)' if x.sum() else '')\n",
                          {"x"}, set()),
    "verdict_and_message": ("out = f(x)\nassert x.sum() == 0, f'x is {x}'\n", {"x"}, {"x"}),
    "while_test_reads": ("while x.sum() < 3:\n    x = make()\n    out = f(x)\n", {"x"}, {"x"}),
}


@pytest.mark.parametrize("name", CASES)
def test_reads_after_a_call(name):
    """A name counts as read after the call when the check can read it once the call returned."""
    source, held, expected = CASES[name]
    got = read_after(source, _call_position(source), held)
    assert got == expected, f"{name}: expected {expected or 'nothing'} read after f(...), got {got or 'nothing'}"


STATE = {  # source, whether it reads the global state for its verdict
    "compares_the_state": ("s = torch.get_rng_state()\nf(1)\nassert torch.equal(torch.get_rng_state(), s)\n", True),
    "asserts_grad_mode": ("f(1)\nassert torch.is_grad_enabled()\n", True),
    "saves_and_restores": ("s = torch.get_rng_state()\ntry:\n    f(1)\nfinally:\n    torch.set_rng_state(s)\n", False),
    "saved_and_compared": (("s = torch.get_rng_state()\nf(1)\nassert torch.equal(s, torch.get_rng_state())\n"
                           "torch.set_rng_state(s)\n"), True),
    "saved_then_read": ("s = torch.get_rng_state()\nf(1)\nprint(s)\ntorch.set_rng_state(s)\n", True),
    "grad_mode_restored": ("m = torch.is_grad_enabled()\nf(1)\ntorch.set_grad_enabled(m)\n", False),
    "no_state": ("f(1)\n", False),
}


@pytest.mark.parametrize("name", STATE)
def test_reads_of_the_global_state(name):
    """Reading grad mode or the random state counts; saving it only to put it back does not."""
    source, expected = STATE[name]
    assert reads_global_state(source) is expected, f"{name}: expected {'a read' if expected else 'no read'}"
