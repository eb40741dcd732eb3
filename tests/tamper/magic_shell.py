# Tamper: shell escapes and magics: read the course files and silence the output.
# Expect: fails
# Screen: flags
!cat ../../../source/01_autograd_basics/01_autograd_basics.ipynb
%config InteractiveShell.ast_node_interactivity = "none"


def graph_grads(w, x):
    return (0.0, 0.0)
