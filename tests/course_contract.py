"""The exercises every notebook must have (the curriculum contract), as the tests see it."""

EXERCISES = {
    "01_autograd_basics": [
        "graph_grads", "graph_anatomy", "weighted_backward", "backward_twice",
        "nonleaf_grads", "backward_only_wrt", "vjp_via_backward",
    ],
    "02_grad_higher_order": [
        "first_two_derivatives", "nth_derivative", "grad_no_side_effects", "weighted_grad",
        "jacobian", "hessian", "newton_minimize", "numerical_grad",
    ],
    "03_autograd_pitfalls": [
        "accumulated_grads", "zeroed_grads", "requires_grad_flags", "sgd_update_",
        "fix_inplace", "detach_partial", "predict_no_grad", "to_numpy",
    ],
    "04_logistic_regression": [
        "make_data", "LR", "accuracy", "bce", "bce_with_logits",
        "bce_grad_manual", "train", "decision_boundary",
    ],
}
NOTEBOOKS = list(EXERCISES)
