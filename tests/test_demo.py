"""`python -m grading demo` (`make grade`): a small example class, built, graded and summarised."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from classes import NB01, grader_env, leftovers
from conftest import REPO

from grading.class_grading import demo

NB = NB01


@pytest.mark.e2e
def test_demo_class_has_each_kind_of_student(tmp_path):
    """Six students, each handing in every notebook asked for; fay tampers in 01 and hands in a broken 03."""
    root = demo.build(tmp_path / "course", [NB, "03_autograd_pitfalls"])
    submitted = root / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["ada", "ben", "chen", "dana", "eli", "fay"]
    broken = submitted / "fay" / "03_autograd_pitfalls" / "03_autograd_pitfalls.ipynb"
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.read_text())
    assert "math.isclose = " in (submitted / "fay" / NB / f"{NB}.ipynb").read_text()
    assert len(list(submitted.glob("*/*/*.ipynb"))) == 6 * 2


@pytest.mark.e2e
def test_demo_prints_the_class_summary(tmp_path):
    """The demo on notebook 01 (its students are corpus students, whose gradings the corpus class checks in
    every notebook): full marks, zeros, partial scores and the flag in the summary, nothing left running."""
    proc = subprocess.run([sys.executable, "-m", "grading", "demo", "--jobs", "1", NB], cwd=REPO,
                          env=grader_env(tmp_path / "marker"), capture_output=True, text=True, timeout=900,
                          check=False)
    out = proc.stdout
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{out[-3000:]}\n{proc.stderr[-3000:]}"

    def row(student: str) -> list[str]:
        return next(line for line in out.splitlines() if line.startswith(student + " ")).split()[1:]

    assert row("ada") == ["13/13"] and row("dana") == ["13/13"] and row("ben") == ["0/13"], out
    # fay's wrong graph_grads (1 point) patches math.isclose: flagged, and vjp_via_backward_hidden_inputs (1 point),
    # which reads the caller's tensor as the kernel reports it, scores 0 too
    assert row("fay") == ["11/13", "flag"], out
    assert not leftovers(tmp_path / "marker")
    kept = re.search(r"its report is kept: (\S+report\.html)", out)
    assert kept and Path(kept[1]).is_file() and Path(kept[1]).is_relative_to(tmp_path), (
        f"expected the path of the demo's report, kept where the course was (under TMPDIR), got:\n{out[-2000:]}")
    assert f"(report: {Path(kept[1]).parent.parent / 'course' / 'reports' / 'report.html'})" in out, out[-2000:]
    assert not (Path(kept[1]).parent.parent / "course").exists(), "the demo course should be removed"


def test_demo_refuses_an_unknown_assignment():
    """A mistyped notebook name is a usage error that names the course's notebooks."""
    proc = subprocess.run([sys.executable, "-m", "grading", "demo", "01_autograd"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "unknown assignment 01_autograd" in proc.stderr and NB in proc.stderr
