"""The library-helper ban of notebook 02, read from the student's code in the grader (grading/judging/helper_bans.py):
each way of reaching a helper is found, through aliases and helper functions; code the exercise never runs is not."""

from __future__ import annotations

import pytest

from grading.judging.helper_bans import helpers_in_sources

LOOP = "def rows(f, x):\n    return torch.stack([torch.autograd.grad(y, x)[0] for y in f(x)])\n"

FOUND = {
    "direct": ["def jacobian(f, x):\n    return torch.autograd.functional.jacobian(f, x)\n"],
    "module_alias": ["import torch.autograd.functional as AF\n",
                     "def jacobian(f, x):\n    return AF.jacobian(f, x)\n"],
    "from_import": ["from torch.autograd import functional\n",
                    "def jacobian(f, x):\n    return functional.jacobian(f, x)\n"],
    "torch_func": ["from torch.func import jacrev as J\n", "def jacobian(f, x):\n    return J(f)(x)\n"],
    "functorch": ["import functorch\n", "def jacobian(f, x):\n    return functorch.jacrev(f)(x)\n"],
    "local_import": ["def jacobian(f, x):\n    from torch.func import jacfwd\n    return jacfwd(f)(x)\n"],
    "in_a_helper_two_deep": ["def _inner(f, x):\n    return torch.func.jacrev(f)(x)\n",
                             "def _outer(f, x):\n    return _inner(f, x)\n",
                             "def jacobian(f, x):\n    return _outer(f, x)\n"],
    "in_a_thread": ["import threading\n",
                    ("def jacobian(f, x):\n    out = []\n    t = threading.Thread(target=lambda: out.append("
                    "torch.autograd.functional.jacobian(f, x)))\n    t.start()\n    t.join()\n    return out[0]\n")],
    "lambda_helper": ["helper = lambda f, x: torch.autograd.functional.jacobian(f, x)\n",
                      "def jacobian(f, x):\n    return helper(f, x)\n"],
}

NOT_FOUND = {
    "built_from_grad": [LOOP, "def jacobian(f, x):\n    return rows(f, x)\n"],
    "helper_used_elsewhere_only": ["def jacobian(f, x):\n    return rows(f, x)\n", LOOP,
                                   "print(torch.autograd.functional.jacobian(lambda v: v * 2, torch.ones(2)))\n"],
    "named_in_a_string_or_comment": [("def jacobian(f, x):\n    # not torch.autograd.functional.jacobian\n"
                                     "    note = 'torch.func.jacrev is faster'\n    return rows(f, x)\n"), LOOP],
    "redefined_later": ["def jacobian(f, x):\n    return torch.func.jacrev(f)(x)\n",
                        "def jacobian(f, x):\n    return rows(f, x)\n", LOOP],
    "magics_and_syntax_errors": ["%time 1\n", "def (:\n", "def jacobian(f, x):\n    return rows(f, x)\n", LOOP],
}


@pytest.mark.parametrize("name", FOUND)
def test_a_banned_helper_is_found(name):
    """Each route to a helper of torch.autograd.functional or torch.func that the exercise's code runs is found."""
    found = helpers_in_sources(FOUND[name], "jacobian")
    assert found, f"{name}: the use of a library helper was not found in {FOUND[name]}"


@pytest.mark.parametrize("name", NOT_FOUND)
def test_code_the_exercise_does_not_run_is_not_held_against_it(name):
    """A helper used outside the exercise's code, or only named in text, costs nothing."""
    found = helpers_in_sources(NOT_FOUND[name], "jacobian")
    assert not found, f"{name}: reported {found}, which the exercise's code does not run"
