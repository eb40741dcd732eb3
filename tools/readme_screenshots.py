"""Make the README's screenshots with the browser test's code (tests/lab_browser.py): a notebook as a student
first sees it, Validate's dialog on the untouched notebook, the feedback page of a demo student's wrong
answers, the class report's misconception table (python -m grading report), and the Chinese edition in
JupyterLab's Chinese interface (`make lab EDITION=zh`) where Run All stops at the first self-check.

usage: python tools/readme_screenshots.py [--out docs/img]    (two minutes or so; needs make install)

Starts `make lab` on a copy of notebooks/ and grades the demo class (python -m grading demo) in a temporary
folder; nothing in the repository changes but the PNGs. Needs Chromium (`apt-get install
chromium`) and a font with Chinese characters (`apt-get install fonts-noto-cjk`): without one the course's
Chinese terms render as boxes, and the script refuses.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import REPO, student_nb
from lab_browser import CHROMIUM, missing_browser, open_notebook, run_all, running_lab, validate
from PIL import Image

NOTEBOOK = "01_autograd_basics"
STUDENT = "chen"  # the demo student with a wrong answer in every exercise (python -m grading demo)
VIEWPORT = {"width": 1100, "height": 700}
COLOURS = 96  # a palette this size keeps text sharp and each PNG well under 100 KB
SCROLL_TO_TEXT_JS = """text => {
    const cell = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].find(
        c => [...c.querySelectorAll('.jp-OutputArea-output')].some(o => o.textContent.includes(text)));
    cell.scrollIntoView({block: 'end'});
}"""
FIRST_FAILED_CHECK_JS = """() => {
    const entry = [...document.querySelectorAll('li')].find(li => /Score: 0(\\.0)? \\//.test(li.textContent));
    const name = entry.querySelector('a').getAttribute('href').slice(1);
    document.querySelector(`a[name="${name}"]`).scrollIntoView();
    window.scrollBy(0, -40);
}"""


def missing_cjk_font() -> str | None:
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if found.returncode != 0 or not found.stdout.strip():
        return "no font with Chinese characters (fc-list :lang=zh): apt-get install fonts-noto-cjk"
    return None


def shrink(path: Path) -> None:
    """Palette PNG: screenshots of text lose nothing visible and shrink four- to fivefold."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def graded_demo(workdir: Path) -> Path:
    """The demo class, graded (its report written too); the course folder."""
    course = workdir / "demo"
    subprocess.run([sys.executable, "-m", "grading", "demo", "--keep", str(course)], cwd=REPO,
                   check=True, stdout=subprocess.DEVNULL)
    return course


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where the PNGs go")
    args = parser.parse_args(argv)
    why = missing_browser() or missing_cjk_font()
    if why:
        print(f"cannot make the screenshots: {why}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    shots = {"notebook": args.out / "notebook.png", "validate": args.out / "validate.png",
             "feedback": args.out / "feedback.png", "report": args.out / "report.png",
             "zh": args.out / "notebook-zh.png"}
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        workdir = Path(tmp)
        course = graded_demo(workdir)
        with running_lab(REPO, workdir / "lab") as lab, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM))
            page = browser.new_context(viewport=VIEWPORT).new_page()
            open_notebook(page, lab, f"{NOTEBOOK}.ipynb", len(student_nb(NOTEBOOK).cells))
            page.screenshot(path=shots["notebook"])
            run_all(page)
            validate(page)
            page.screenshot(path=shots["validate"])

            feedback = course / "feedback" / STUDENT / NOTEBOOK / f"{NOTEBOOK}.html"
            page.goto(feedback.as_uri())
            # the first hidden check that scored 0 (the page's table of contents links to it), at the top
            page.evaluate(FIRST_FAILED_CHECK_JS)
            page.screenshot(path=shots["feedback"])

            page.goto((course / "reports" / "report.html").as_uri())
            page.evaluate("() => document.getElementById('misconceptions').scrollIntoView()")
            page.screenshot(path=shots["report"])

            with running_lab(REPO, workdir / "lab-zh", edition="zh") as zh_lab:
                nb = student_nb(NOTEBOOK)
                page = browser.new_context(viewport=VIEWPORT).new_page()
                open_notebook(page, zh_lab, f"zh/{NOTEBOOK}.ipynb", len(nb.cells))
                run_all(page, ("运行", "运行所有单元格"))
                for _ in range(4):  # where Run All stopped; again after the cells above took their real heights
                    page.evaluate(SCROLL_TO_TEXT_JS, "还没有作答")
                    page.wait_for_timeout(700)
                page.wait_for_timeout(500)
                page.screenshot(path=shots["zh"])
            browser.close()
    for path in shots.values():
        shrink(path)
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
