"""What `python -m grading autograde` shows: a progress bar (plain lines when not on a terminal) and the
class summary, one row per student and one column per assignment."""

from __future__ import annotations

import time

# what a cell of the summary says besides the score, most serious first
MARKS = {"crash": "crash", "timeout": "timeout", "tamper": "flag"}


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Notebooks done / total, failures so far, time left."""

    def __init__(self, total: int, out):
        self.total, self.out = total, out
        self.done = self.failures = 0
        self.started = time.monotonic()
        self.tty = hasattr(out, "isatty") and out.isatty()

    def _left(self) -> str:
        if not self.done:
            return "estimating"
        rate = (time.monotonic() - self.started) / self.done
        return f"~{_duration(rate * (self.total - self.done))} left"

    def update(self, key: tuple[str, str], outcome) -> None:
        self.done += 1
        self.failures += outcome.status != "graded" or bool(outcome.flags)
        if self.tty:
            self.tick()
        else:
            what = outcome.status + (f" ({', '.join(outcome.flags)})" if outcome.flags else "")
            print(f"[{self.done}/{self.total}] {key[0]}/{key[1]}: {what}"
                  f"{' (' + outcome.detail + ')' if outcome.detail else ''}; "
                  f"{self.failures} failed or flagged; {self._left()}", file=self.out, flush=True)

    def tick(self) -> None:
        if not self.tty:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        line = (f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} notebooks, "
                f"{self.failures} failed or flagged, {_duration(time.monotonic() - self.started)} elapsed, "
                f"{self._left()}")
        self.out.write(line.ljust(100))
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def cell_text(outcome, score) -> str:
    """One summary cell: the score, with what went wrong, or why there is no score."""
    if outcome is None and score is None:
        return "-"
    if outcome is not None and outcome.status in ("invalid", "error", "crash", "not run"):
        return {"invalid": "invalid file", "error": "grader error", "crash": "crash", "not run": "not graded"}[
            outcome.status]
    text = f"{score[0]:g}/{score[1]:g}" if score else "?"
    kinds = set(outcome.flags) if outcome is not None else set()
    marks = [mark for kind, mark in MARKS.items() if kind in kinds]
    if not marks and score and score[2]:
        marks = ["flag"]
    return text + (f" {','.join(marks)}" if marks else "")


def summary_table(students: list[str], assignments: list[str], outcomes: dict, scores: dict) -> str:
    """student × assignment: score, or timeout, crash, tamper flag, invalid file; then the notes."""
    header = ["student", *assignments]
    rows = [[s, *(cell_text(outcomes.get((s, a)), scores.get((s, a))) for a in assignments)] for s in students]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"{s}/{a}: {o.detail}" for (s, a), o in sorted(outcomes.items()) if o.detail]
    legend = ("score = points/max; flag = tamper screen or structure check (see the banner in the autograded "
              "notebook), timeout / crash = the kernel ran out of time or died (in an answer cell: the later checks "
              "scored 0; in a hidden check: that check scored 0, the later ones ran in a fresh kernel), "
              "invalid file = not graded (see below), - = no submission")
    return "\n".join(["", *lines, "", legend, *(["", "Not graded:", *notes] if notes else [])])
