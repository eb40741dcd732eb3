# Tamper: opens a network connection to send the answers out or fetch them.
# Expect: fails
# Screen: flags
import socket

socket.create_connection(("example.com", 80), timeout=2)


def graph_grads(w, x):
    return (0.0, 0.0)
