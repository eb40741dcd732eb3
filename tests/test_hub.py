"""A class on a real JupyterHub, end to end (`python -m grading classroom`, grading/class_grading/hub.py).

The hub, its proxy (configurable-http-proxy from npm), PAM logins, one unix account per person, nbgrader's
exchange, the students' servers in bubblewrap, formgrader: all started by the project's own command. One run
of the class, in order: the instructor releases 01_autograd_basics; student1 logs in through the hub's login
page in Chromium, fetches it from the Assignment List, types an answer, validates and submits; student2
(right answers) and student3 (wrong answers, after the due date) fetch and submit through their servers' REST
API; the instructor collects, grades with `python -m grading autograde`, releases feedback; each student
fetches their own feedback. Then what a student must not reach, tried as that student; formgrader's view of
the scores; a manual grade kept through a regrade. Skipped where this machine cannot create accounts (not
root) or lacks the proxy, the sandbox or Chromium.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from lab_browser import missing_browser, validate

from grading.class_grading.classroom import solved, with_answers
from grading.class_grading.hub import Classroom, as_user, free_port, problems, user_exists
from grading.course.layout import exercises, nbgrader_meta

pytestmark = pytest.mark.e2e
NAME = "01_autograd_basics"
LATE_PENALTY = 0.1  # per started day: grading/judging/late.py's default
COURSE_ID = "pytorch-autograd"
SHOTS = os.environ.get("CLASSROOM_SCREENSHOTS")  # a folder: keep the screenshots there (docs/img for the README)

_why = problems() + ([missing_browser()] if missing_browser() else [])
if _why:
    pytest.skip("no classroom here: " + "; ".join(_why), allow_module_level=True)


class Hub:
    """The running classroom, and requests to it with the `classroom` service's token."""

    def __init__(self, room: Classroom):
        self.room = room
        self.scores: dict[str, tuple[float, float]] = {}  # from the feedback pages, once the first test ran

    def call(self, method: str, path: str, data: dict | None = None, form: dict | None = None,
             timeout: float = 120) -> tuple[int, str]:
        body, headers = None, {"Authorization": f"token {self.room.token}"}
        if form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        elif data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        path = urllib.parse.quote(path, safe="/?=&")  # nbgrader's feedback folders are timestamps, with spaces
        request = urllib.request.Request(self.room.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def start_server(self, user: str) -> None:
        status, text = self.call("POST", f"/hub/api/users/{user}/server")
        assert status in (201, 202, 400), f"starting {user}'s server: {status} {text[:300]}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, text = self.call("GET", f"/hub/api/users/{user}")
            if status == 200 and json.loads(text).get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server did not start: {text[:500]}")

    def assignments(self, user: str, action: str) -> dict:
        status, text = self.call("POST", f"/user/{user}/assignments/{action}",
                                 form={"course_id": COURSE_ID, "assignment_id": NAME})
        assert status == 200, f"{user}: {action}: HTTP {status}: {text[:500]}"
        answer = json.loads(text)
        assert answer.get("success"), f"{user}: {action} failed: {answer.get('value', answer)}"
        return answer

    def contents(self, user: str, path: str) -> dict:
        status, text = self.call("GET", f"/user/{user}/api/contents/{path}")
        assert status == 200, f"{user}: GET {path}: HTTP {status}: {text[:300]}"
        return json.loads(text)

    def save_notebook(self, user: str, path: str, nb: nbformat.NotebookNode) -> None:
        status, text = self.call("PUT", f"/user/{user}/api/contents/{path}",
                                 data={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))})
        assert status in (200, 201), f"{user}: PUT {path}: HTTP {status}: {text[:300]}"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    # not under pytest's temporary folder: it is closed to other users, and the class's accounts must reach it
    root = Path(tempfile.gettempdir()) / f"ptc-class-{os.getpid()}-{int(time.time())}"
    proc = subprocess.Popen([sys.executable, "-m", "grading", "classroom", "--students", "3", "--root", str(root),
                             "--port", str(free_port())], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("Ctrl-C stops"):
            break
    else:
        raise AssertionError("the classroom did not start:\n" + "".join(seen))
    room = Classroom.load(root)
    try:
        yield Hub(room)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        said = "".join(seen) + out
        assert proc.returncode == 0, f"the classroom did not stop cleanly ({proc.returncode}):\n{said[-2000:]}"
        left = [u for u in room.users if user_exists(u)]
        assert not left and not root.exists(), f"left behind: accounts {left}, folder {root.exists()}"
        running = subprocess.run(["pgrep", "-f", str(root)], capture_output=True, text=True, check=False).stdout.split()
        assert not running, f"processes of the classroom still run: {running}"


def _instructor(hub: Hub, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    room = hub.room
    done = as_user(room.instructor, [str(room.env / "bin" / "python"), *args], room.env, cwd=room.course, check=False)
    assert not check or done.returncode == 0, f"instructor: {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _answers(nb: nbformat.NotebookNode) -> dict[str, str]:
    return {nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells
            if nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")}


def _log_in(page, hub: Hub, user: str) -> None:
    page.goto(f"{hub.room.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.room.passwords[user])
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf".*/user/{user}/lab.*"), timeout=180_000)
    page.wait_for_selector(".jp-LauncherCard, .jp-DirListing", timeout=120_000)


def _assignment_list(page):
    page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
    page.wait_for_selector("#released_assignments_list, .assignment-list, #fetched_assignments_list", timeout=60_000)


def test_a_class_on_jupyterhub_from_release_to_feedback(hub, browser, tmp_path_factory):
    """Release, fetch (Assignment List and REST), answer, Validate, submit (one late), collect, autograde, feedback
    released and fetched: each student sees their own scores, the late one with the course's penalty."""
    room = hub.room
    student1, student2, student3 = room.students
    shots = Path(SHOTS) if SHOTS else tmp_path_factory.mktemp("hub-screenshots")
    _instructor(hub, "-m", "nbgrader", "generate_assignment", NAME, "--force")
    _instructor(hub, "-m", "nbgrader", "release_assignment", NAME)

    # student1, in the browser: log in, fetch, answer the first exercise, Validate, submit
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, hub, student1)
        _assignment_list(page)
        page.click(f"#released_assignments_list .list_item:has-text('{NAME}') button:has-text('Fetch')")
        page.wait_for_selector(f"#fetched_assignments_list .list_item:has-text('{NAME}')", timeout=60_000)
        first = exercises(solved(NAME))[0]
        nb = hub.contents(student1, f"{NAME}/{NAME}.ipynb")["content"]
        assert nb["cells"][first.answer_index]["metadata"]["nbgrader"]["grade_id"] == first.name
        page.goto(f"{room.url}/user/{student1}/lab/tree/{NAME}/{NAME}.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        editor = page.locator(".jp-Notebook .jp-Cell").nth(first.answer_index).locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(solved(NAME).cells[first.answer_index].source)
        page.keyboard.press("Control+s")
        page.wait_for_timeout(1500)
        dialog = validate(page)
        assert "NotImplementedError" in dialog or "failed" in dialog.lower(), (
            f"expected Validate to name the six unanswered exercises, got {dialog[:300]!r}")
        page.keyboard.press("Escape")
        _assignment_list(page)
        page.click(f"#fetched_assignments_list .list_item:has-text('{NAME}') button:has-text('Submit')")
        page.wait_for_selector(f"#submitted_assignments_list .list_item:has-text('{NAME}')", timeout=60_000)
        page.screenshot(path=shots / "hub-assignment-list.png")
    except BaseException:
        context.close()
        raise

    # student2 (right) and student3 (wrong, late) through their servers' REST API
    right = solved(NAME)
    wrong = with_answers(right, {first.name: (REPO / "tests" / "misconceptions" / NAME).glob(f"{first.name}__*.py")
                                 .__next__().read_text()})
    for user, nb in ((student2, right), (student3, wrong)):
        hub.start_server(user)
        hub.assignments(user, "fetch")
        fetched = nbformat.from_dict(hub.contents(user, f"{NAME}/{NAME}.ipynb")["content"])
        hub.save_notebook(user, f"{NAME}/{NAME}.ipynb", with_answers(fetched, _answers(nb)))
        if user == student3:  # the due date passes between student2's submission and student3's
            due = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
            _instructor(hub, "-m", "nbgrader", "db", "assignment", "add", NAME, f"--duedate={due}")
            time.sleep(1.5)
        hub.assignments(user, "submit")
    status, text = hub.call("POST", f"/user/{student3}/assignments/submit",
                            form={"course_id": COURSE_ID, "assignment_id": "no_such_assignment"})
    assert status == 200 and not json.loads(text)["success"], f"a submission of nothing released: {text[:300]}"

    # the instructor: collect, grade with the course's grader, feedback out
    _instructor(hub, "-m", "nbgrader", "collect", NAME)
    graded = _instructor(hub, "-m", "grading", "autograde", NAME, "--course", str(room.course), "--jobs", "2")
    assert "3 of 3 notebooks graded" in graded.stdout, graded.stdout[-1500:]
    _instructor(hub, "-m", "nbgrader", "generate_feedback", NAME)
    _instructor(hub, "-m", "nbgrader", "release_feedback", NAME)

    scores = {}
    try:  # student1 fetches the feedback in the Assignment List, the others through the REST API
        page.goto(f"{room.url}/user/{student1}/lab")
        page.wait_for_selector(".jp-LauncherCard, .jp-DirListing", timeout=120_000)
        _assignment_list(page)
        page.click(f"#submitted_assignments_list .list_item:has-text('{NAME}') button:has-text('Fetch Feedback')")
        page.wait_for_selector(f"#submitted_assignments_list .list_item:has-text('{NAME}') a:has-text('view feedback')",
                               timeout=60_000)
        folder = hub.contents(student1, f"{NAME}/feedback")["content"]
        page.goto(f"{room.url}/user/{student1}/files/{folder[0]['path']}/{NAME}.html")
        page.wait_for_selector("text=Score", timeout=60_000)
        page.screenshot(path=shots / "hub-feedback.png")
    finally:
        context.close()
    for user in room.students:
        hub.start_server(user)
        if user != student1:
            hub.assignments(user, "fetch_feedback")
        folder = hub.contents(user, f"{NAME}/feedback")["content"]
        assert len(folder) == 1, f"{user}: expected one feedback folder, got {[f['name'] for f in folder]}"
        html = hub.contents(user, f"{folder[0]['path']}/{NAME}.html")["content"]
        found = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", html)
        assert found, f"{user}: no score on the feedback page"
        scores[user] = (float(found.group(1)), float(found.group(2)))
        others = [s for s in room.students if s != user]
        assert not any(s in html for s in others), f"{user}'s feedback names another student"
    total = scores[student2][1]
    assert scores[student2] == (total, total), f"student2 (right answers) expected full marks, got {scores}"
    assert 0 < scores[student1][0] < total, f"student1 answered one exercise: {scores}"
    assert scores[student3][0] < total * 0.9, f"student3 (wrong and late) expected less than 90 %: {scores}"
    hub.scores = scores  # for the formgrader test below (the same module-scoped classroom, in order)


def test_a_student_reaches_nothing_of_another_or_of_the_course(hub):
    """Tried as student2 (unix permissions) and inside student2's server sandbox: no other submission, no
    other feedback, not the course's source/ or gradebook, nothing of the repository (its answers)."""
    room = hub.room
    probe = f"""
import json, os, glob
tried = {{}}
def attempt(what, f):
    try:
        got = f()
        tried[what] = "READ: " + repr(got)[:80]
    except OSError as err:
        tried[what] = type(err).__name__
attempt("inbound", lambda: os.listdir("{room.exchange}/{COURSE_ID}/inbound"))
attempt("feedback", lambda: os.listdir("{room.exchange}/{COURSE_ID}/feedback"))
attempt("instructor home", lambda: os.listdir("{room.course.parent}"))
attempt("source", lambda: open("{room.course}/source/{NAME}/{NAME}.ipynb").read())
attempt("gradebook", lambda: open("{room.course}/gradebook.db", "rb").read(10))
attempt("student1 home", lambda: os.listdir("/home/{room.students[0]}"))
attempt("repository solutions", lambda: open("{REPO}/solutions/{NAME}.ipynb").read())
attempt("repository answers", lambda: os.listdir("{REPO}/tests/misconceptions"))
attempt("course source in the package", lambda: os.listdir("{room.root}/pkg/grading/source"))
print(json.dumps(tried))
"""
    outside = as_user(room.students[1], [str(room.env / "bin" / "python"), "-c", probe], room.env)
    tried = json.loads(outside.stdout)
    inside = {k: v for k, v in tried.items() if not k.startswith("repository")}  # unix permissions: not the repo
    leaked = {k: v for k, v in inside.items() if v.startswith("READ")}
    assert not leaked, f"as {room.students[1]}, outside the server sandbox, these were readable: {leaked}"
    # inside the student's own server: a kernel started by its Jupyter server, through the hub
    status, text = hub.call("POST", f"/user/{room.students[1]}/api/kernels", data={"name": "python3"})
    assert status == 201, f"starting a kernel in {room.students[1]}'s server: {status} {text[:300]}"
    kernel = json.loads(text)["id"]
    try:
        said = _run_in_kernel(hub, room.students[1], kernel, probe)
    finally:
        hub.call("DELETE", f"/user/{room.students[1]}/api/kernels/{kernel}")
    tried = json.loads(said)
    leaked = {k: v for k, v in tried.items() if v.startswith("READ")}
    assert not leaked, f"inside {room.students[1]}'s server, these were readable: {leaked}"


def _run_in_kernel(hub: Hub, user: str, kernel: str, code: str) -> str:
    """Execute `code` in a kernel of `user`'s server over its websocket, through the hub; return its stdout."""
    import uuid

    import websocket

    url = hub.room.url.replace("http://", "ws://") + f"/user/{user}/api/kernels/{kernel}/channels"
    ws = websocket.create_connection(url, header=[f"Authorization: token {hub.room.token}"], timeout=60)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                                   "session": uuid.uuid4().hex, "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "channel": "shell",
                        "content": {"code": code, "silent": False, "store_history": False,
                                    "user_expressions": {}, "allow_stdin": False}}))
    out = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError(f"the probe failed in the kernel: {msg['content']['evalue']}")
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        ws.close()
    raise AssertionError("the probe did not finish in the kernel within 60 s")


def test_formgrader_lists_the_class_and_a_manual_grade_outlives_a_regrade(hub):
    """The instructor's formgrader (through the hub) lists the three submissions with the scores their feedback
    showed, student3's as late with the course's penalty; a manual grade set there is kept when the class is
    regraded with `python -m grading autograde --force`, which prints the scores that changed."""
    room = hub.room
    hub.start_server(room.instructor)
    base = f"/user/{room.instructor}/formgrader/api"
    status, text = hub.call("GET", f"{base}/submissions/{NAME}")
    assert status == 200, f"formgrader: HTTP {status}: {text[:300]}"
    listed = {s["student"]: s for s in json.loads(text)}
    scores = hub.scores
    assert scores, "the class's feedback scores are missing: the first test of this module did not get that far"
    assert sorted(listed) == sorted(room.students), f"formgrader lists {sorted(listed)}"
    for user in room.students:
        assert listed[user]["autograded"] and listed[user]["max_score"] == scores[user][1], listed[user]
    student3 = room.students[2]
    penalty = _gradebook(room, "SELECT submitted_notebook.late_submission_penalty FROM submitted_notebook JOIN "
                               "submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                               f"WHERE submitted_assignment.student_id = '{student3}'")[0][0]
    raw = listed[student3]["score"]
    assert penalty == pytest.approx(round(LATE_PENALTY * raw, 2)), (
        f"student3 was late by seconds: expected the course's {LATE_PENALTY:.0%} of {raw}, got a penalty of {penalty}")
    assert scores[student3][0] == pytest.approx(raw - penalty), (
        f"student3's feedback showed {scores[student3][0]}, formgrader {raw} less the penalty {penalty}")
    for user in room.students[:2]:
        assert listed[user]["score"] == scores[user][0], (user, listed[user]["score"], scores[user])

    # the LMS files the grading wrote (python -m grading report, run by autograde), against their formats
    reports = room.course / "reports"
    with (reports / "canvas.csv").open(newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", NAME], canvas[0]
    assert canvas[1][:5] == ["Points Possible", "", "", "", ""] and float(canvas[1][5]) == scores[student3][1]
    assert {r[3]: float(r[5]) for r in canvas[2:]} == {u: pytest.approx(scores[u][0]) for u in room.students}
    with (reports / "moodle.csv").open(newline="") as f:
        moodle = list(csv.reader(f))
    assert moodle[0] == ["Username", "ID number", "First name", "Last name", "Email address",
                         f"Assignment: {NAME} (Real)"], moodle[0]
    assert {r[0]: float(r[5]) for r in moodle[1:]} == {u: pytest.approx(scores[u][0]) for u in room.students}

    # a manual grade in formgrader, then a regrade of the class: the manual grade stays, the change is printed
    status, text = hub.call("GET", f"{base}/submitted_notebooks/{NAME}/{NAME}")
    notebook = next(n for n in json.loads(text) if n["student"] == student3)
    status, text = hub.call("GET", f"{base}/grades?submission_id={notebook['id']}")
    lost = next(g for g in json.loads(text) if g["auto_score"] is not None and g["auto_score"] < g["max_score"])
    status, text = hub.call("PUT", f"{base}/grade/{lost['id']}", data={"manual_score": lost["max_score"]})
    assert status == 200, f"formgrader: setting a manual grade: HTTP {status}: {text[:300]}"
    regraded = _instructor(hub, "-m", "grading", "autograde", NAME, "--course", str(room.course), "--force")
    status, text = hub.call("GET", f"{base}/grade/{lost['id']}")
    kept = json.loads(text)
    assert kept["manual_score"] == lost["max_score"], f"the regrade lost the manual grade: {kept}"
    assert "regraded: no score changed" in regraded.stdout, regraded.stdout[-1500:]
    assert (room.course / "grades.previous.csv").is_file(), "the regrade did not keep the previous grades.csv"


def _gradebook(room: Classroom, query: str) -> list[tuple]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(room.course / "gradebook.db")) as con:
        return con.execute(query).fetchall()


def test_bad_input_gets_a_clear_message_and_touches_no_other_work(hub, browser):
    """A second submission, a renamed notebook, an exchange with wrong permissions, a login without an account:
    each gets nbgrader's or the hub's message, and no other student's submission changes."""
    room = hub.room
    student1, student2, _ = room.students
    inbound = room.exchange / COURSE_ID / "inbound"
    others = {p.name: p.stat().st_mtime_ns for p in inbound.iterdir() if not p.name.startswith(student2)}
    # twice: both kept in the exchange, `nbgrader collect` takes the newest
    hub.assignments(student2, "submit")
    mine = [p for p in inbound.iterdir() if p.name.startswith(f"{student2}+{NAME}+")]
    assert len(mine) == 2, f"expected both of student2's submissions in the exchange, got {[p.name for p in mine]}"
    # renamed: nbgrader takes it in; after collecting, `python -m grading submissions` names it and what to do
    status, _ = hub.call("PATCH", f"/user/{student1}/api/contents/{NAME}/{NAME}.ipynb",
                         data={"path": f"{NAME}/my_answers.ipynb"})
    assert status == 200, f"renaming student1's notebook: HTTP {status}"
    hub.assignments(student1, "submit")
    _instructor(hub, "-m", "nbgrader", "collect", NAME, "--update", "--student", student1)
    said = _instructor(hub, "-m", "grading", "submissions", NAME, "--course", str(room.course), check=False).stdout
    line = next((x for x in said.splitlines() if student1 in x), "")
    assert "renamed" in line and "my_answers.ipynb" in line, f"expected the renamed notebook named, got {said[-800:]}"
    # an exchange nobody else may enter: a clear refusal, nothing written
    room.exchange.chmod(0o700)
    try:
        status, text = hub.call("POST", f"/user/{student2}/assignments/submit",
                                form={"course_id": COURSE_ID, "assignment_id": NAME})
        answer = json.loads(text)
        assert status == 200 and not answer["success"] and "Unwritable directory, please contact your instructor" in \
            answer["value"], answer
    finally:
        room.exchange.chmod(0o777)
    # no account: the hub's login page refuses
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{room.url}/hub/login")
        page.fill("input[name=username]", "ptc-nobody")
        page.fill("input[name=password]", "not-a-password")
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_selector("text=Invalid username or password", timeout=30_000)
    finally:
        context.close()
    after = {p.name: p.stat().st_mtime_ns for p in inbound.iterdir() if p.name in others}
    assert after == others, "another student's submission changed"
