"""A local Label Studio server: its own venv, loopback only, no prompts, no phoning home, stopped by pid.

Label Studio 1.23.2 pins ``pyarrow<25``, so it can never live in the toolkit's venv: the server runs
from ``.venv-labelstudio`` (created on first use), and the toolkit talks to it only over HTTP through
``label-studio-sdk``. A first start migrates a fresh SQLite database (~30 s); starting from a copy of
an already-migrated data directory (a *template*) takes a few seconds, which is what the test
fixture does. The admin user and its legacy API token are fixed at the first start of a data dir.

Used by ``scripts/labelstudio-up`` / ``scripts/labelstudio-down`` and ``tests/labelstudio_server.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from secnews.core.environ import environ_set

LABEL_STUDIO_VERSION = "1.23.2"
HOST = "127.0.0.1"
CREDENTIALS_FILE = "secnews-server.json"


@dataclass
class Credentials:
    username: str
    password: str
    token: str

    @classmethod
    def generate(cls, username: str = "admin@secnews.local") -> Credentials:
        return cls(username, secrets.token_urlsafe(12), secrets.token_hex(20))


@dataclass
class Server:
    pid: int
    port: int
    data_dir: Path
    credentials: Credentials
    log: Path
    started_in: float

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def ensure_venv(venv: Path, version: str = LABEL_STUDIO_VERSION, python: str | None = None) -> Path:
    """The server's ``label-studio`` executable, creating its venv when missing (~1 min, ~1 GB)."""
    exe = venv / "bin" / "label-studio"
    if exe.exists():
        return exe
    py = python or shutil.which("python3") or sys.executable
    subprocess.run([py, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"label-studio=={version}"], check=True)
    return exe


def free_port() -> int:
    """A port free on the loopback interface now (Label Studio silently moves to port+1 if busy)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


SECRET_KEY_FILE = "secret-key"


def secret_key(data_dir: Path) -> str:
    """The data dir's Django SECRET_KEY, made once (mode 0600) and reused at every start.

    The key signs the annotators' sessions: a new one at a restart logs the whole team out. Kept
    here explicitly rather than left to Label Studio's own ``.env`` handling, so that a copied or
    restored data dir keeps its sessions, and the fact is tested.
    """
    path = Path(data_dir) / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def server_env(data_dir: Path, creds: Credentials) -> dict[str, str]:
    home = data_dir / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update(
        {
            "HOME": str(home),
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir.resolve()),
            "LABEL_STUDIO_USERNAME": creds.username,
            "LABEL_STUDIO_PASSWORD": creds.password,
            "LABEL_STUDIO_USER_TOKEN": creds.token,
            "SECRET_KEY": secret_key(data_dir),
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "LATEST_VERSION_CHECK": "false",
            "COLLECT_ANALYTICS": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
        }
    )
    return env


def _get(url: str, token: str | None = None, timeout: float = 2.0) -> int:
    req = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def start(
    data_dir: Path,
    venv: Path,
    *,
    creds: Credentials | None = None,
    port: int | None = None,
    timeout: float = 180.0,
) -> Server:
    """Start a server on 127.0.0.1 and wait until its API answers with the token.

    The credentials of a data dir are remembered in ``secnews-server.json`` inside it (mode 0600,
    next to the SQLite database that holds them anyway), because the token is fixed at the first start.
    """
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    creds = creds or load_credentials(data_dir) or Credentials.generate()
    save_credentials(data_dir, creds)
    exe = ensure_venv(Path(venv).resolve())
    port = port or free_port()
    log = data_dir / "server.log"
    t0 = time.monotonic()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [str(exe), "start", "--no-browser", "--internal-host", HOST, "-p", str(port)],
            env=server_env(data_dir, creds),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=str(data_dir),
        )
    server = Server(proc.pid, port, data_dir, creds, log, 0.0)
    (data_dir / "server.pid").write_text(f"{proc.pid}\n")
    try:
        _wait_ready(server, proc, timeout)
    except BaseException:
        stop(proc.pid)
        raise
    server.started_in = time.monotonic() - t0
    return server


def _wait_ready(server: Server, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"label-studio exited with {proc.returncode}; log tail:\n{tail}")
        if (
            _get(server.url + "/health") == 200
            and _get(server.url + "/api/projects", server.credentials.token) == 200
        ):
            return
        time.sleep(0.5)
    raise TimeoutError(
        f"label-studio did not answer on {server.url} within {timeout:.0f} s (log: {server.log})"
    )


def stop(pid: int, timeout: float = 20.0) -> bool:
    """Stop the server started with this pid (its whole process group), SIGTERM then SIGKILL."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return False
    if pgid != pid:  # only ever signal a group this module created (start_new_session=True)
        os.kill(pid, signal.SIGTERM)
    else:
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return True
        except ChildProcessError:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        if pgid == pid:
            os.killpg(pgid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    return True


def save_credentials(data_dir: Path, creds: Credentials) -> None:
    path = Path(data_dir) / CREDENTIALS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(asdict(creds), fh)


def load_credentials(data_dir: Path) -> Credentials | None:
    path = Path(data_dir) / CREDENTIALS_FILE
    if not path.exists():
        return None
    return Credentials(**json.loads(path.read_text()))


def prepare_template(template: Path, venv: Path) -> float:
    """Migrate a fresh data dir once (cold start, then stop); returns the cold start time in seconds."""
    template = Path(template)
    marker = template / ".ready"
    if marker.exists():
        return 0.0
    if template.exists():
        shutil.rmtree(template)
    server = start(template, venv)
    stop(server.pid)
    for name in ("server.pid", "server.log"):
        (template / name).unlink(missing_ok=True)
    marker.write_text(f"{server.started_in:.1f}\n")
    return server.started_in


def copy_template(template: Path, data_dir: Path) -> None:
    shutil.copytree(template, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ready"))


def default_template() -> Path:
    """Where the migrated data folder of this Label Studio version is kept between runs."""
    return Path.home() / ".cache" / "secnews" / f"labelstudio-template-{LABEL_STUDIO_VERSION}"


@contextlib.contextmanager
def throwaway(venv: Path, template: Path | None = None) -> Iterator[Server]:
    """A server on a fresh copy of the migrated template, for the length of a block.

    Its URL and token are in the environment meanwhile (``secnews ls push/pull`` and the SDK read
    them there); afterwards the server is stopped, its data removed and the environment restored.
    For benchmarks and checks that need a real, empty server for a few minutes.
    """
    template = template or default_template()
    ensure_venv(venv)
    prepare_template(template, venv)
    with tempfile.TemporaryDirectory(prefix="secnews-ls-") as tmp:
        data = Path(tmp) / "data"
        copy_template(template, data)
        server = start(data, venv)
        try:
            with environ_set(
                {"LABEL_STUDIO_URL": server.url, "LABEL_STUDIO_API_KEY": server.credentials.token}
            ):
                yield server
        finally:
            stop(server.pid)


# ------------------------------------------------------------------------------- scripts/labelstudio-up
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _pid_of(data_dir: Path) -> int | None:
    path = data_dir / "server.pid"
    if not path.exists():
        return None
    pid = int(path.read_text().split()[0])
    return pid if _alive(pid) else None


def up(
    data_dir: Path,
    venv: Path,
    *,
    port: int | None = None,
    project: str = "secnews-fr",
    corpus: Path | None = None,
    sets: list[str] | None = None,
    users: Path | None = None,
) -> int:
    """Start (or find) the annotators' server, add the annotators, push the corpus, print URL and
    credentials. ``sets``: what annotators see (default: model predictions only)."""
    data_dir = Path(data_dir).resolve()
    pid = _pid_of(data_dir)
    info = data_dir / "server.url"
    if pid is not None and info.exists():
        url = info.read_text().strip()
        creds = load_credentials(data_dir)
        print(f"already running (pid {pid})")
    else:
        chosen = port if port and _port_free(port) else free_port()
        server = start(data_dir, venv, port=chosen)
        url, creds, pid = server.url, server.credentials, server.pid
        info.write_text(url + "\n")
        print(f"started in {server.started_in:.1f} s (pid {pid}, log {server.log})")
    assert creds is not None
    if corpus is not None and any(Path(corpus).glob("*.json")):
        os.environ["LABEL_STUDIO_API_KEY"] = creds.token
        from secnews.labelstudio.exporter import DEFAULT_PUSH_SETS
        from secnews.labelstudio.sync import push

        report = push([corpus], project=project, url=url, sets=sets or list(DEFAULT_PUSH_SETS))
        print(
            f"project {report.project_id} {project!r}: {report.imported} tasks pushed, "
            f"{len(report.updated)} updated, {len(report.skipped)} unchanged"
        )
    if users is not None:
        for a in add_annotators(data_dir, venv, read_annotators(users)):
            print(f"  annotator {a.email}: {a.state} (password {a.password})")
        print(f"  annotators' passwords kept in {data_dir / 'annotators.tsv'} (mode 0600)")
    print(
        f"\n  URL:      {url}\n  user:     {creds.username}\n  password: {creds.password}\n"
        f"  API key:  export LABEL_STUDIO_URL={url} LABEL_STUDIO_API_KEY={creds.token}\n"
        f"\n  stop with scripts/labelstudio-down"
    )
    return 0


@dataclass
class Annotator:
    email: str
    password: str
    state: str = ""  # "created" or "password reset", as the server reports it


def read_annotators(path: Path) -> list[Annotator]:
    """``email[,password]`` rows of a CSV with a header; a missing password is generated."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    people = []
    for n, row in enumerate(rows, start=2):
        email = (row.get("email") or "").strip()
        if "@" not in email:
            raise ValueError(f"{path}:{n}: 'email' column missing or not an e-mail: {email!r}")
        people.append(Annotator(email, (row.get("password") or "").strip() or secrets.token_urlsafe(12)))
    return people


#: run by the server's own Python (its Django models): create each user with a password, or reset
#: it, and make them members of the server's organisation so they see its projects
_ADD_USERS = """
import os, sys
import label_studio
sys.path.insert(0, os.path.dirname(label_studio.__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.label_studio")
import django
django.setup()
from organizations.models import Organization
from users.models import User
org = Organization.objects.first()
for line in sys.stdin:
    email, password = line.rstrip("\\n").split("\\t")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, username=email, password=password)
        state = "created"
    else:
        user.set_password(password)
        user.save()
        state = "password reset"
    if not org.has_user(user):
        org.add_user(user)
    user.active_organization = org
    user.save(update_fields=["active_organization"])
    print("SECNEWS-USER", email, state, flush=True)
"""


def add_annotators(data_dir: Path, venv: Path, people: list[Annotator]) -> list[Annotator]:
    """Create (or reset) the annotators' accounts on the data dir's server; the credentials are kept
    in ``annotators.tsv`` in the data dir (mode 0600), as the admin's are in its JSON file."""
    data_dir = Path(data_dir).resolve()
    creds = load_credentials(data_dir) or Credentials.generate()
    feed = "".join(f"{a.email}\t{a.password}\n" for a in people)
    proc = subprocess.run(
        [str(Path(venv).resolve() / "bin" / "python"), "-c", _ADD_USERS],
        input=feed,
        env=server_env(data_dir, creds),
        capture_output=True,
        text=True,
        cwd=str(data_dir),
        check=False,
    )
    states = {}
    for line in proc.stdout.splitlines():
        if line.startswith("SECNEWS-USER "):
            _, email, state = line.split(" ", 2)
            states[email] = state
    if proc.returncode != 0 or len(states) != len(people):
        raise RuntimeError(f"creating annotator accounts failed: {proc.stderr.strip()[-600:]}")
    for a in people:
        a.state = states[a.email]
    path = data_dir / "annotators.tsv"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("email\tpassword\n" + feed)
    return people


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def down(data_dir: Path) -> int:
    data_dir = Path(data_dir).resolve()
    pid = _pid_of(data_dir)
    if pid is None:
        print("no server running")
        return 0
    stop(pid)
    (data_dir / "server.pid").unlink(missing_ok=True)
    print(f"stopped pid {pid}")
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="labelstudio", description="local Label Studio for annotators")
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--data-dir", type=Path, default=Path(".labelstudio"))
    parser.add_argument("--venv", type=Path, default=Path(".venv-labelstudio"))
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--project", default="secnews-fr")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=None,
        help="what annotators see (repeatable; default kind:prediction, model predictions only)",
    )
    parser.add_argument("--users", type=Path, default=None, help="annotators' accounts: CSV email[,password]")
    args = parser.parse_args(argv)
    if args.action == "down":
        return down(args.data_dir)
    from secnews.core.paths import documents_dir

    return up(
        args.data_dir,
        args.venv,
        port=args.port,
        project=args.project,
        corpus=args.corpus or documents_dir(),
        sets=args.sets,
        users=args.users,
    )


if __name__ == "__main__":
    sys.exit(main())
