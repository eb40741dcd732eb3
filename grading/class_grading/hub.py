"""A class on a real JupyterHub on this machine: `python -m grading classroom` (`make classroom`).

usage: python -m grading classroom [--students N] [--port PORT] [--root DIR]   (as root)
       python -m grading classroom --remove DIR                             (what a killed run left behind)

It starts JupyterHub (from PyPI, pinned in requirements.txt) behind configurable-http-proxy (from npm, pinned in
grading/hub-proxy/package.json) for an instructor and N students, each a unix account of their own (prefix
`ptc-`, created here with a random password, logging in through PAM), and nbgrader's exchange between them:

- the instructor's server (LocalProcessSpawner, as the instructor) has the course in ~/pytorch-autograd (the
  nbgrader config and source/ of grading/, and a gradebook of its own), formgrader, Create Assignment and
  the Course List; `python -m grading autograde` grades there, in the grading sandbox as everywhere;
- each student's server runs inside bubblewrap with the course's environment, its own home and the exchange,
  and nothing else of this machine's files: not grading/source/, solutions/, tests/ (their answers), the
  instructor's home or the gradebook. The environment is a copy of the repository's .venv (hard links, so
  seconds and no disk) whose `grading` package holds the course's code but none of its answers; nbgrader's
  instructor extensions are switched off in it, the Assignment List and Validate on;
- the exchange (DIR/exchange) is world-writable, as nbgrader's exchange expects: nbgrader itself makes each
  course's inbound/ writable but not readable by students and each feedback file reachable only by the
  student whose notebook it was made from.

It prints the URL and the accounts, and on Ctrl-C (or SIGTERM) stops the hub, the proxy and every server,
deletes the accounts it created with their homes, and removes DIR. Run as a non-root user it refuses: creating
accounts and switching to them needs root. On a machine you cannot be root on, or for a class beyond one
machine, use The Littlest JupyterHub or Zero to JupyterHub (README, "Teaching a class").
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grading.course.paths import COURSE, REPO

PREFIX = "ptc-"  # the accounts this command creates start with it; it deletes no other
COURSE_ID = "pytorch-autograd"
CHP = REPO / "grading" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_ROOT = Path("/srv/pytorch-autograd-class")
STATE = "classroom.json"  # in the root: the accounts, so that --remove finds them after a kill
# what the students' copy of the `grading` package leaves out: the course's answers and the instructor's files
NOT_FOR_STUDENTS = ("source", "release", "submitted", "autograded", "feedback", "gradebook.db*", "*.log",
                    "grades.csv*", "autograde-logs", ".autograde-staging", "hub-proxy", "__pycache__")
INSTRUCTOR_ONLY = ("formgrader", "create-assignment", "course-list")  # nbgrader's JupyterLab plugins
SERVER_EXTENSIONS = {"formgrader": False, "course_list": False, "assignment_list": True, "validate_assignment": True}


class ClassroomError(Exception):
    """The classroom cannot start here; the message says why and what to do."""


@dataclass
class Classroom:
    root: Path
    port: int
    instructor: str
    students: list[str]
    passwords: dict[str, str] = field(default_factory=dict)
    token: str = ""  # the API token of the `classroom` service (admin of the users and their servers)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def env(self) -> Path:
        return self.root / "env"

    @property
    def course(self) -> Path:
        return home(self.instructor) / COURSE_ID

    @property
    def users(self) -> list[str]:
        return [self.instructor, *self.students]

    def save(self) -> None:
        path = self.root / STATE
        path.write_text(json.dumps({**asdict(self), "root": str(self.root)}, indent=1))
        path.chmod(0o600)

    @classmethod
    def load(cls, root: Path) -> Classroom:
        data = json.loads((root / STATE).read_text())
        return cls(**{**data, "root": Path(data["root"])})


def home(user: str) -> Path:
    return Path("/home") / user


def problems() -> list[str]:
    """What this machine lacks for a classroom (empty when it can start one)."""
    found = []
    if os.geteuid() != 0:
        found.append("it must run as root: it creates a unix account per student and starts their servers as "
                     "them (without root: The Littlest JupyterHub, or Zero to JupyterHub; README)")
    for tool in ("useradd", "userdel", "chpasswd", "bwrap"):
        if shutil.which(tool) is None:
            found.append(f"`{tool}` is missing" + (" (apt-get install bubblewrap)" if tool == "bwrap" else ""))
    if not CHP.exists():
        found.append(f"configurable-http-proxy is not installed: `make hub-proxy` (npm ci in {CHP.parents[2]})")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        found.append("jupyterhub is not installed in this environment: `make install`")
    return found


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def as_user(user: str, cmd: list[str], env_dir: Path, cwd: Path | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
    """`cmd` as the unix user `user`, in their home, with the class's environment `env_dir` first on PATH."""
    import pwd

    entry = pwd.getpwnam(user)
    env = {"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "LANG": "C.UTF-8",
           "PATH": f"{env_dir / 'bin'}:/usr/bin:/bin",
           # the class's copy of the interpreter finds its libpython here (its own path points into /root)
           "LD_LIBRARY_PATH": str(env_dir.parent / "python" / "lib")}
    return subprocess.run(cmd, cwd=cwd or entry.pw_dir, env=env, user=entry.pw_uid, group=entry.pw_gid,
                          extra_groups=[], capture_output=True, text=True, check=check)


# --- the environment every server of the class runs in ---------------------------------------------------

def _replace(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `path` anew: the copy's files are hard links to the repository's .venv, which must not change."""
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def _linked_copy(source: Path, dest: Path) -> None:
    if subprocess.run(["cp", "-al", str(source), str(dest)], capture_output=True, check=False).returncode != 0:
        shutil.rmtree(dest, ignore_errors=True)
        run(["cp", "-a", str(source), str(dest)])  # another file system: a real copy


def build_environment(root: Path) -> Path:
    """root/python (the interpreter: the repository's venv points into root's home, which others cannot enter),
    root/env (the venv, made to use it) and root/pkg/grading (the course's code without its answers)."""
    python, env, pkg = root / "python", root / "env", root / "pkg" / "grading"
    _linked_copy(Path(sys.base_prefix), python)
    _linked_copy(Path(sys.prefix), env)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    _replace(env / "pyvenv.cfg", (Path(sys.prefix) / "pyvenv.cfg").read_text().replace(
        f"home = {Path(sys.executable).resolve().parent}", f"home = {python / 'bin'}").replace(
        f"home = {Path(sys.base_prefix) / 'bin'}", f"home = {python / 'bin'}"))
    for name in ("python", "python3", version):
        (env / "bin" / name).unlink(missing_ok=True)
        (env / "bin" / name).symlink_to(python / "bin" / version)
    old_shebang = f"#!{sys.prefix}/bin/python"
    for script in (env / "bin").iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        with script.open("rb") as f:
            first = f.readline()
        if first.startswith(old_shebang.encode()):
            text = script.read_text()
            _replace(script, f"#!{env}/bin/python" + text[text.index("\n"):], 0o755)
    shutil.copytree(COURSE, pkg, ignore=shutil.ignore_patterns(*NOT_FOR_STUDENTS))
    site = env / "lib" / version / "site-packages"
    for finder in site.glob("__editable__*finder.py"):
        text = finder.read_text()
        if str(COURSE) in text:
            _replace(finder, text.replace(repr(str(COURSE)), repr(str(pkg))))
    config = env / "etc" / "jupyter"
    _replace(config / "jupyter_server_config.d" / "nbgrader.json", json.dumps({"ServerApp": {"jpserver_extensions": {
        f"nbgrader.server_extensions.{name}": on for name, on in SERVER_EXTENSIONS.items()}}}, indent=2))
    _replace(config / "labconfig" / "page_config.json", json.dumps({"disabledExtensions": {
        f"@jupyter/nbgrader:{name}": True for name in INSTRUCTOR_ONLY}}, indent=2))
    for path in (root, python, env, root / "pkg"):
        path.chmod(0o755)
    return env


def student_server_script(room: Classroom) -> Path:
    """The command a student's server starts with: jupyterhub-singleuser inside bubblewrap, seeing the system's
    programs, the class's environment, its own home and the exchange."""
    script = room.root / "student-server"
    binds = " ".join(f"--ro-bind {p} {p}" for p in (room.root / "python", room.env, room.root / "pkg"))
    _replace(script, f"""#!/bin/sh
# Written by python -m grading classroom: a student's single-user server, in a sandbox of its own
exec bwrap --die-with-parent --unshare-pid --unshare-ipc \\
  --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \\
  --symlink usr/sbin /sbin --ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp \\
  {binds} \\
  --bind "$HOME" "$HOME" --bind {room.exchange} {room.exchange} --chdir "$HOME" \\
  -- {room.env}/bin/python -m jupyterhub.singleuser "$@"
""", 0o755)
    return script


# --- accounts and the course ---------------------------------------------------------------------------

def create_user(name: str) -> str:
    """A new unix account with a private home and a random password (returned)."""
    if not name.startswith(PREFIX):
        raise ValueError(f"{name}: the classroom creates accounts named {PREFIX}... only")
    run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name])
    home(name).chmod(0o700)
    password = secrets.token_urlsafe(9)
    run(["chpasswd"], input=f"{name}:{password}\n")
    return password


def remove_user(name: str) -> None:
    if not name.startswith(PREFIX):
        return  # never an account this command did not create
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
    subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
    shutil.rmtree(home(name), ignore_errors=True)


def _write_as(user: str, path: Path, text: str) -> None:
    import pwd

    entry = pwd.getpwnam(user)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    for p in [path, *[q for q in path.parents if q.is_relative_to(entry.pw_dir) and q != Path(entry.pw_dir)]]:
        os.chown(p, entry.pw_uid, entry.pw_gid)


def set_up_course(room: Classroom) -> None:
    """The instructor's course folder and nbgrader configs, the students' configs, the exchange."""
    import pwd

    room.exchange.mkdir(mode=0o777)
    room.exchange.chmod(0o777)  # as nbgrader's exchange expects (its own files set their permissions)
    course = room.course
    shutil.copytree(COURSE / "source", course / "source")
    shutil.copy(COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    entry = pwd.getpwnam(room.instructor)
    subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(course)], check=True)
    common = (f'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "{COURSE_ID}"\n'
              f'c.Exchange.root = "{room.exchange}"\n')
    _write_as(room.instructor, home(room.instructor) / ".jupyter" / "nbgrader_config.py",
              common + f'c.CourseDirectory.root = "{course}"\n')
    _write_as(room.instructor, home(room.instructor) / ".jupyter" / "jupyter_server_config.json", json.dumps(
        {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": True,
                                               "nbgrader.server_extensions.course_list": True}}}, indent=2))
    _write_as(room.instructor, home(room.instructor) / ".jupyter" / "labconfig" / "page_config.json", json.dumps(
        {"disabledExtensions": {f"@jupyter/nbgrader:{name}": False for name in INSTRUCTOR_ONLY}}, indent=2))
    for student in room.students:
        _write_as(student, home(student) / ".jupyter" / "nbgrader_config.py", common)
    for name in (room.instructor, *room.students):
        # JupyterLab's "Jupyter news" prompt and update check would stand over the first notebook
        _write_as(name, home(name) / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" /
                  "apputils-extension" / "notification.jupyterlab-settings",
                  json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_config(room: Classroom) -> Path:
    """root/hub/jupyterhub_config.py."""
    folder = room.root / "hub"
    folder.mkdir(mode=0o700)
    config = folder / "jupyterhub_config.py"
    config.write_text(f'''# Written by python -m grading classroom (grading/class_grading/hub.py); removed when it stops.
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "{room.url}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.JupyterHub.db_url = "sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{folder / 'jupyterhub_cookie_secret'}"
c.ConfigurableHTTPProxy.command = ["{CHP}"]
c.ConfigurableHTTPProxy.pid_file = "{folder / 'proxy.pid'}"
c.Authenticator.allowed_users = {set(room.users)!r}
c.PAMAuthenticator.open_sessions = False  # no login session to open for a web server
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": "{room.env}/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
                         "LD_LIBRARY_PATH": "{room.root / 'python' / 'lib'}"}}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.JupyterHub.services = [{{"name": "classroom", "api_token": "{room.token}"}}]
c.JupyterHub.load_roles = [{{"name": "classroom", "services": ["classroom"],
                             "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"]}}]


def _command(spawner):
    # the instructor's server as the instructor; a student's inside bubblewrap (student-server)
    if spawner.user.name == "{room.instructor}":
        spawner.cmd = ["{room.env}/bin/python", "-m", "jupyterhub.singleuser"]
    else:
        spawner.cmd = ["{student_server_script(room)}"]


c.Spawner.pre_spawn_hook = _command
''')
    return config


def start(root: Path, students: int, port: int) -> tuple[Classroom, subprocess.Popen]:
    """Build the class and start its hub; on failure, undo everything (nothing is left behind)."""
    found = problems()
    if found:
        raise ClassroomError("cannot start a classroom: " + "; ".join(found))
    if root.exists():
        raise ClassroomError(f"{root} exists: a classroom runs there, or one was killed (python -m grading "
                             f"classroom --remove {root})")
    closed = [str(p) for p in root.parents if p.exists() and not p.stat().st_mode & 0o001]
    if closed:
        raise ClassroomError(f"{closed[0]} is closed to other users (no o+x), so the class's accounts could not "
                             f"reach {root}: choose a --root they can (the default is {DEFAULT_ROOT})")
    names = [f"{PREFIX}student{i}" for i in range(1, students + 1)]
    taken = [n for n in [f"{PREFIX}instructor", *names] if home(n).exists() or user_exists(n)]
    if taken:
        raise ClassroomError(f"accounts exist already: {', '.join(taken)} (python -m grading classroom --remove "
                             "on the folder of the classroom that made them)")
    room = Classroom(root=root, port=port, instructor=f"{PREFIX}instructor", students=names,
                     token=secrets.token_hex(24))
    root.mkdir(parents=True, mode=0o755)
    try:
        room.save()
        for name in room.users:
            room.passwords[name] = create_user(name)
            room.save()  # after each account: --remove finds all of them
        build_environment(root)
        set_up_course(room)
        config = hub_config(room)
        env = {**os.environ, "PATH": f"{room.env}/bin:{os.environ.get('PATH', '/usr/bin:/bin')}"}
        with open(config.parent / "jupyterhub.log", "w") as log:  # the hub keeps its own copy of the file
            hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=config.parent,
                                   env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for_hub(room, hub, config.parent / "jupyterhub.log")
        return room, hub
    except BaseException:
        remove(root)
        raise


def user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _wait_for_hub(room: Classroom, hub: subprocess.Popen, log: Path, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise ClassroomError(f"JupyterHub exited ({hub.returncode}):\n" + "\n".join(log.read_text().splitlines()[-20:]))
        try:
            with urllib.request.urlopen(f"{room.url}/hub/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise ClassroomError(f"JupyterHub did not answer within {timeout_s:.0f} s; its log: {log}")


def stop(room: Classroom, hub: subprocess.Popen) -> None:
    """Stop the hub (it stops the servers and the proxy it started), then remove the class."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave half a cleanup behind
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait()
    remove(room.root)


def remove(root: Path) -> None:
    """Delete the accounts a classroom created (and anything they still run), the proxy, and its folder."""
    try:
        room = Classroom.load(root)
        users = room.users
    except (OSError, ValueError, TypeError, KeyError):
        users = []
    pid_file = root / "hub" / "proxy.pid"
    if pid_file.is_file():
        try:
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        except (ValueError, ProcessLookupError, PermissionError):
            pass
    for name in users:
        remove_user(name)
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3, help="how many student accounts (default 3)")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help=f"the class's folder (default {DEFAULT_ROOT})")
    parser.add_argument("--remove", type=Path, metavar="DIR", help="remove what a classroom in DIR left behind")
    args = parser.parse_args(argv)
    if args.remove is not None:
        if not (args.remove / STATE).is_file():
            parser.error(f"{args.remove} holds no classroom ({STATE} is missing)")
        remove(args.remove)
        print(f"removed the classroom in {args.remove} and its accounts")
        return 0
    if not 1 <= args.students <= 500:
        parser.error("--students: between 1 and 500")
    try:
        room, hub = start(args.root.resolve(), args.students, args.port)
    except ClassroomError as err:
        print(err, file=sys.stderr)
        return 2
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print(f"JupyterHub for {COURSE_ID} at {room.url}\n\naccounts (unix users, log in with these):")
    for name in room.users:
        print(f"  {name:<20} {room.passwords[name]}" + ("   (instructor: formgrader, the course in "
                                                         f"{room.course})" if name == room.instructor else ""))
    print(f"\nexchange: {room.exchange}\nCtrl-C stops the hub and removes the accounts and {room.root}.", flush=True)
    try:
        while not stopping and hub.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop(room, hub)
        print("classroom stopped; accounts and folder removed", flush=True)
    return 0 if hub.returncode in (0, -signal.SIGTERM, None) else 1


if __name__ == "__main__":
    sys.exit(main())
