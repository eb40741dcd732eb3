"""The course's late-submission penalty (nbgrader's AssignLatePenalties calls it; grading/nbgrader_config.py).

nbgrader ships two policies, no penalty and zero for any lateness. A course usually wants something between:
here, a fraction of the notebook's score per started day late (10 % by default), never more than the score.
A submission is late when its timestamp (nbgrader's timestamp.txt, written at submit) is after the
assignment's due date (`nbgrader db assignment add NAME --duedate=...`, or the formgrader's Manage Assignments).
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class LatePenalty(LateSubmissionPlugin):
    """`per_day` of the notebook's score per started day late, at most the score itself."""

    per_day = Float(0.1, help="Fraction of a notebook's score lost per started day late (0.1: 10 % a day; "
                              "1.0: zero after the deadline)").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / 86400)
        penalty = min(score, round(score * self.per_day * days, 2))
        self.log.info("%s: %.0f s late (%d started day(s)): penalty %.2f of %.2f", student_id, total_seconds_late,
                      days, penalty, score)
        return penalty
