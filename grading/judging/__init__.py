"""Judging one submission: the parts nbgrader_config.py plugs into `nbgrader autograde` and `generate_feedback`.

`screen` reads the student's code before it runs; `integrity` compares the submission with the release,
records flags and zeroes the checks they affect; `sandbox` runs the kernel under bubblewrap with limits and
each graded test cell in the grader's process, where `runner` runs it with `remote` objects for the student's names and a `wire` of data to
`agent`, the kernel's side (sent to the kernel as source; it imports nothing of the course); `feedback` shows each hidden check's result without its code; `submissions` says what is wrong with a hand-in;
`handin` is the students' check before they hand in: the structure and screen findings, in the same words, and a run.
May import `grading.course`, never `grading.authoring` or `grading.class_grading`.
"""
