"""The misconceptions the hidden checks diagnose: every failure message of a hidden check ends with a tag
`[misconception: <id>]`, so that the report after grading (python -m grading report) groups a class's failures
exactly, not by the wording of messages with numbers in them.

An id names what the student believes or does wrong, not the check: the same id may come from several checks
and several exercises. `other` is the deliberate "no known cause" (a wrong value the check cannot explain).
The glossary below says, for an instructor, what each id means; tests/test_hygiene.py keeps it equal to the ids
the source notebooks use.
"""

from __future__ import annotations

import ast
import re

TAG = re.compile(r"\[misconception: ([a-z][a-z0-9_]*)\]")
OTHER = "other"

GLOSSARY: dict[str, str] = {
    # used in several notebooks
    "grad_accumulates": "does not clear .grad between backward calls, so the gradients add up (梯度累加)",
    "graph_cut_by_detach": (
        "builds part of the computation from .data / .detach() / .item() / numpy, so autograd does not see "
        "that path"),
    "int_tensor_requires_grad": (
        "makes a leaf tensor straight from an int (torch.tensor(w)) and asks it to require grad; only "
        "floating-point tensors can"),
    "jvp_instead_of_vjp": (
        "computes J v (a Jacobian-vector product) where v^T J (a vector-Jacobian product, what "
        "backward(gradient=v) and grad_outputs give) was asked; they agree only for a symmetric J"),
    "mutates_caller_state": (
        "changes the caller's tensors, model parameters, .grad or requires_grad flags (side effects)"),
    "returns_tensor_not_float": "returns a tensor (or numpy scalar) where a Python float was asked: forgot .item()",
    "wrong_return_type": (
        "returns the wrong kind of object or structure (None, a list instead of a tuple, the wrong length, a "
        "missing key)"),
    "wrong_shape": "returns a tensor of the wrong shape",
    # first named in 01_autograd_basics
    "accumulation_suppressed": (
        "zeroes .grad or rebuilds the leaves between two backward passes (training-loop habit, or expecting "
        "each backward to overwrite .grad), so the second pass does not add onto the first"),
    "backward_without_inputs": (
        "calls backward() without inputs=[...] and expects only the leaves it reads to be touched; every leaf "
        "that requires grad gets a gradient"),
    "grad_fn_object_not_name": (
        "stores the grad_fn object itself where its class name (type(t.grad_fn).__name__) was asked"),
    "grad_reference_not_copied": (
        "keeps a reference to the .grad tensor, which a later backward updates in place, instead of reading "
        "its value out (.item() or .clone()) at the time"),
    "grad_tensors_ignored": (
        "back-propagates all-ones weights (sums the outputs, or passes ones_like) instead of the given "
        "grad_tensors / gradient=v"),
    "hard_coded_answer": "returns the worked example's numbers whatever the input",
    "inputs_taken_as_exclusions": (
        "reads backward(inputs=[...]) as the list of leaves to leave out, when it lists the only leaves that "
        "receive gradients"),
    "leaf_grads_for_nonleaf": (
        "reads the leaves' gradients (w.grad, x.grad) where the intermediate results' gradients (a.grad, "
        "b.grad, via retain_grad()) were asked"),
    "leaf_has_grad_fn": (
        "believes a leaf has a grad_fn (e.g. AccumulateGrad, seen in next_functions); a leaf's grad_fn is "
        "None"),
    "mean_instead_of_sum": (
        "weights the outputs by hand and takes .mean(), believing grad_tensors averages the outputs; it "
        "weights their sum"),
    "none_grad_as_zero": "reports a gradient that was never computed as 0.0; it is None",
    "nonleaf_taken_as_leaf": (
        "believes a tensor computed by a recorded operation (e.g. b = w + 1, with a constant) is a leaf"),
    "partials_swapped": (
        "puts the two partial derivatives in each other's place (returns them in the wrong order, or takes "
        "d(a*b)/da to be a)"),
    "requires_grad_not_propagated": (
        "believes a tensor computed from one that requires grad need not require grad (e.g. because a "
        "constant was added); requires_grad spreads forward"),
    "retain_grad_missing": (
        "does not call retain_grad() on the intermediate results before backward() (or calls it after), so "
        "their .grad is None"),
    "weights_swapped": (
        "pairs the grad_tensors weights with the wrong outputs (outputs concatenated in another order than "
        "the weights)"),
    # first named in 02_grad_higher_order
    "assumes_input_requires_grad": (
        "differentiates with respect to the caller's x directly, assuming it requires grad, instead of "
        "x.detach().requires_grad_(True)"),
    "centred_divides_by_h": "divides the centred difference f(x+h) - f(x-h) by h instead of 2h",
    "constant_derivative_unhandled": (
        "assumes every derivative still requires grad: once a derivative is constant (a line, a polynomial "
        "past its degree) differentiating it again crashes instead of giving 0"),
    "create_graph_missing": "differentiated a derivative that was computed without create_graph=True",
    "differentiates_f_again": (
        "took the second derivative of f itself instead of differentiating the first derivative f', so f'' "
        "comes out as f' again"),
    "forward_difference": (
        "uses the one-sided difference (f(x+h) - f(x))/h instead of the centred (f(x+h) - f(x-h))/(2h)"),
    "grad_outputs_ignored": "differentiates sum(f(x)) and forgets to pass the weights as grad_outputs",
    "gradient_descent_not_newton": (
        "takes a gradient-descent step x - lr * f'(x) instead of the Newton step x - f'(x)/f''(x)"),
    "gradient_outer_product": (
        "takes the outer product g g^T of the gradient for the Hessian instead of the second derivatives"),
    "hessian_diagonal_only": "fills only the diagonal d2f/dxi2 of the Hessian and drops the mixed second derivatives",
    "jacobian_transposed": "builds the Jacobian transposed: one column per output instead of one row per output",
    "library_helper_used": (
        "used a library helper (torch.autograd.functional.jacobian/hessian) where the exercise asks to build "
        "it with torch.autograd.grad"),
    "loop_off_by_one": "the loop runs one time too few or too many (one derivative or one Newton step off)",
    "negative_order_unchecked": (
        "does not validate the order n: a negative n returns a value instead of raising ValueError"),
    "newton_sign_flipped": "adds the Newton step instead of subtracting it, so the iterate moves away from the minimum",
    "no_graph_to_differentiate": (
        "differentiated a tensor autograd has no graph for: either x was not made to require grad or the "
        "gradient was computed without create_graph=True"),
    "not_converted_to_float64": (
        "computes the finite differences in x's own dtype (float32) instead of converting x to float64 first"),
    "preallocated_default_dtype": (
        "preallocates the result with torch.zeros(...) without dtype=, so a float64 result comes back float32"),
    "retain_graph_missing": (
        "a second backward through a graph that was freed (retain_graph=False), e.g. one row of a Jacobian "
        "after another"),
    "returns_x0_unconverted": "returns x0 itself (an int) when no step is taken, instead of float(x0)",
    "step_h_ignored": "hard-codes the finite-difference step instead of using the h argument",
    "summed_outputs_differentiated": (
        "differentiates the sum of all outputs (or gradient components) for every row instead of each one on "
        "its own, so every row is the same"),
    "weights_applied_after_chain_rule": (
        "multiplies the gradient of sum(f(x)) by the weights afterwards, instead of weighting the outputs "
        "with grad_outputs before the chain rule"),
    "zero_order_differentiated": "treats order n = 0 as 'differentiate once' and returns f'(x0) instead of f(x0)",
    # first named in 03_autograd_pitfalls
    "cpu_missing": "calls .numpy() on a GPU tensor without moving it to the CPU first (.cpu())",
    "detach_instead_of_no_grad": (
        "builds the graph and detaches the result afterwards, instead of not building it under "
        "torch.no_grad()"),
    "detach_missing": (
        "leaves out the .detach(), so the gradient also flows through the path meant to be a constant (3x² "
        "instead of x²)"),
    "detached_wrong_tensor": (
        "detaches the wrong tensor (x instead of y), so the gradient flows through the wrong path (2x² "
        "instead of x²)"),
    "dtype_lost_via_list": "converts through Python lists (tolist(), np.array(list)), which turns float32 into float64",
    "eval_disables_grad": (
        "believes model.eval() switches off gradient tracking (it only changes layers such as dropout and "
        "batch norm)"),
    "grad_cleared_between_steps": (
        "clears .grad between backward calls out of habit, where the exercise asks the gradients to "
        "accumulate"),
    "grad_mode_forced_on": (
        "switches grad mode back on by hand (set_grad_enabled(True)) instead of restoring what it was before"),
    "grad_mode_left_off": (
        "switches grad mode off with torch.set_grad_enabled(False) on its own line and never restores it"),
    "grad_none_before_backward": (
        "calls w.grad.zero_() before the first backward, not knowing that .grad is None until a backward "
        "fills it"),
    "inplace_hidden_by_data": (
        "hides an in-place change from autograd behind .data: no error, but the saved output is changed and "
        "the gradient is silently wrong"),
    "inplace_on_saved_output": (
        "modifies in place (add_, +=) a tensor autograd saved for backward (exp's output), so backward fails; "
        "believes y += 1 is out of place"),
    "no_grad_missing": "runs the forward pass for prediction with gradient tracking on: no torch.no_grad() at all",
    "numpy_without_detach": "calls .numpy() on a tensor that requires grad without detaching it first",
    "rebinds_instead_of_inplace": (
        "writes w = w - lr * w.grad: a new tensor bound to the local name, so the caller's w (and the model's "
        "parameter) never changes"),
    "requires_grad_default_true": (
        "believes computed tensors require grad by default, even when none of their inputs does"),
    "requires_grad_is_global": (
        "believes every computed tensor requires grad once any leaf does, even one that depends on no leaf that "
        "requires grad (b = w + 1 when only x requires grad)"),
    "requires_grad_left_off": (
        "switches requires_grad off to make the in-place update legal and never switches it back on"),
    "requires_grad_needs_all_inputs": (
        "believes a result requires grad only when all of its inputs do (and), not as soon as any one does "
        "(or)"),
    "returns_other_object": (
        "returns a different tensor (a fresh leaf, w.detach(), a new result) instead of the very w it updated "
        "in place"),
    "update_outside_no_grad": (
        "updates a leaf that requires grad in place with gradient tracking on, instead of inside "
        "torch.no_grad()"),
    "update_sign_flipped": (
        "adds lr * grad instead of subtracting it: moves uphill (gradient ascent) instead of descending"),
    # first named in 04_logistic_regression
    "acc_after_step": (
        "records the accuracy of the predictions after optimizer.step() instead of this iteration's "
        "predictions, the ones the loss was computed on"),
    "bias_not_added": (
        "adds the bias to only one class (or to none): the class centres are ±mean instead of ±mean + bias"),
    "boundary_sign_error": (
        "a sign error solving w1 x1 + w2 x2 + b = 0 for x2: +w1 / w2 or +b / w2 instead of -w1 / w2 and -b / "
        "w2"),
    "boundary_weights_swapped": "mixes up which weight multiplies x1 and which x2 (dividing by w1 instead of w2)",
    "clamps_probs_not_logs": (
        "clamps the probabilities at an epsilon instead of each log at -100 as nn.BCELoss does, so a certain "
        "wrong answer costs -log(eps), not 100"),
    "class1_drawn_first": (
        "draws class 1 before class 0 from the seeded generator: the same distributions, but not the "
        "documented random stream"),
    "class1_labels_zero": "copies the notes' typo: class 1 gets labels torch.zeros too, so every label is 0",
    "class_means_swapped": "puts class 0 at -mean and class 1 at +mean: the signs of the class centres are swapped",
    "column_row_broadcast": (
        "combines (N, 1) predictions with (N,) labels, which broadcasts to an (N, N) table instead of N "
        "pairs: flatten first"),
    "exp_overflow": (
        "uses the literal formula log(1 + exp(z)), whose exp(z) overflows to inf for large logits, instead of "
        "max(z, 0) - y z + log1p(exp(-|z|))"),
    "extra_layer": (
        "adds layers or parameters beyond features = nn.Linear(2, 1): logistic regression has exactly 2 "
        "weights and 1 bias"),
    "global_rng_used": (
        "seeds or draws from the global random generator (torch.manual_seed) instead of a local "
        "torch.Generator, changing the rest of the program's random numbers"),
    "half_counted_as_class0": (
        "counts p = 0.5 as class 0 (p > 0.5, or torch.round, which rounds 0.5 down) instead of class 1 (p >= "
        "0.5)"),
    "iters_off_by_one": (
        "reports the index of the last iteration (0-based) as the number of iterations, one less than "
        "len(losses)"),
    "layer_renamed": (
        "stores the linear layer under another name than `features`, the attribute the notes and the other "
        "functions use"),
    "linear_layer_misconfigured": (
        "features is not nn.Linear(2, 1) with a bias: the wrong input or output size, or bias=False"),
    "log_not_clamped": (
        "does not clamp the logs: log(0) = -inf makes the loss inf, and 0 * log(0) makes it nan, for "
        "probabilities exactly 0 or 1"),
    "logits_as_probabilities": (
        "plugs the logits z into the probability formula -[y log p + (1-y) log(1-p)] as if they were "
        "probabilities; z is a log-odds"),
    "loss_sign_flipped": (
        "computes the log-likelihood (or its gradient, y - p) instead of the loss, its negative (gradient p - "
        "y): the sign is flipped"),
    "model_not_trained_in_place": (
        "trains a copy or a new model instead of the model passed in, which is left unchanged"),
    "momentum_lost": (
        "the momentum never builds up: SGD created without momentum, or a new optimizer created every "
        "iteration, which resets it"),
    "no_zero_weight_check": (
        "divides by the x2 weight without checking for 0, returning inf or nan instead of raising ValueError "
        "for a vertical boundary"),
    "not_nn_module": "the model class does not subclass nn.Module",
    "output_squeezed": (
        "squeezes the model output to (N,) (or to a 0-dim tensor for N = 1) instead of keeping the (N, 1) of "
        "nn.Linear"),
    "returns_count_not_fraction": (
        "returns the number of correct predictions instead of the fraction: forgot to divide by N"),
    "returns_float_not_tensor": (
        "returns a Python float (.item()) where a tensor, one autograd can differentiate, was asked"),
    "seed_ignored": (
        "does not seed the generator with the `seed` argument (no seed or a fixed one), so the data do not "
        "follow the seed"),
    "sigmoid_missing": (
        "uses the logit z = X @ w + b where the probability p = sigmoid(z) is meant (forward without the "
        "sigmoid, or p - y with z)"),
    "sigmoid_twice": (
        "applies the sigmoid twice (nn.Sigmoid on top of torch.sigmoid), squashing every probability towards "
        "(0.5, 0.73)"),
    "stop_checked_rarely": (
        "does not test the stop condition every iteration (e.g. only every 20), so training runs past the "
        "first iteration that reaches the target"),
    "stop_strict_greater": (
        "stops when accuracy > target instead of >= target, so a target that is reached exactly (e.g. 1.0) "
        "never stops training"),
    "sum_not_mean": (
        "sums the loss (or its gradient) over the batch instead of taking the mean, as nn.BCELoss and "
        "nn.BCEWithLogitsLoss do"),
    "unstable_via_sigmoid": (
        "computes the logits loss through p = sigmoid(z) and the BCE formula, which loses large logits "
        "(sigmoid(30) rounds to 1) instead of using the stable logits formula"),
    "uses_autograd": "asks autograd (backward, torch.autograd.grad) for the gradient instead of deriving it by hand",
    "wrong_defaults": "the function's default argument values differ from the documented ones",
    "wrong_dtype": "returns tensors of the wrong dtype (e.g. int64 labels or float64 from numpy) instead of float32",
}


def named_in(message: str) -> str | None:
    """The id a failure message names (its last tag), or None when it names none."""
    found = TAG.findall(message)
    return found[-1] if found else None


def _is_assertion(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "AssertionError"


def failure_messages(source: str) -> list[tuple[int, str | None]]:
    """(line, message source or None) of every failure a hidden test cell raises: each `assert` and each
    `raise AssertionError(...)`. Other raises are a check's machinery (a bare `raise` passing on the student's
    error, a library's own error imitated in a test) and reach the student, if at all, inside a tagged message."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            found.append((node.lineno, ast.get_source_segment(source, node.msg) if node.msg else None))
        elif isinstance(node, ast.Raise) and node.exc is not None and _is_assertion(node.exc):
            args = node.exc.args
            found.append((node.lineno, ast.get_source_segment(source, args[0]) if args else None))
    return sorted(found)


def untagged(source: str) -> list[int]:
    """The lines of the failures in a hidden test cell whose message carries no `[misconception: ...]` tag."""
    return [line for line, message in failure_messages(source) if message is None or "[misconception: " not in message]


def ids_used(source: str) -> set[str]:
    """The ids a hidden test cell can name: literal tags, and the strings assigned to `_mc` (the id of a message
    that ends with `[misconception: {_mc}]`)."""
    found = set(TAG.findall(source))
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple)
                     and isinstance(node.value, ast.Tuple) else [(target, node.value)])
            found |= {value.value for name, value in pairs if isinstance(name, ast.Name) and name.id == "_mc"
                      and isinstance(value, ast.Constant) and isinstance(value.value, str)}
    return found
