"""`make demo` for real: bin/demo runs from a copy of this checkout in a temporary directory, on free
ports, as a first-time user starts it; then it is stopped as Ctrl-C or SIGTERM would stop it.

The first run finds the virtual reader's port taken; the second starts the whole card stack."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cards.pcsc_stack import free_port_pair

pytestmark = [pytest.mark.pcsc]  # the demo's card stack: pcscd with vpcd
ROOT = Path(__file__).resolve().parents[2]
READY = "Ctrl-C pour tout arrêter"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _copy_checkout(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in files:
        if name and not name.startswith(".venv") and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to((ROOT / ".venv").resolve())
    return target


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        tree.setdefault(parent, []).append(int(stat.parent.name))
    return tree


class Demo:
    """bin/demo in its own process group, its output in a file."""

    def __init__(self, directory: Path, **env):
        self.directory = directory
        self.port, self.agent_port, self.vpcd_port = _free_port(), _free_port(), free_port_pair()
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "PCSCLITE_CSOCK_NAME",
                                 "PORTAL_BASE_URL", "DJANGO_DEBUG")}
        self.env |= {"DEMO_PORT": str(self.port), "DEMO_AGENT_PORT": str(self.agent_port),
                     "PORTAL_VPCD_PORT": str(self.vpcd_port), "PORTAL_PKI_CA_KEY_SIZE": "2048", **env}
        self.log = directory / f"demo-{self.port}.out"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def start(self, timeout: float = 600) -> "Demo":
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(["bin/demo"], cwd=self.directory, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while READY not in self.output:
            assert self.process.poll() is None, f"bin/demo stopped ({self.process.returncode}):\n{self.output}"
            assert time.monotonic() < deadline, f"bin/demo not ready after {timeout} s:\n{self.output}"
            time.sleep(0.5)
        return self

    def processes(self) -> set[int]:
        """bin/demo and every process below it, whatever their session."""
        tree, found, todo = _children(), set(), [self.process.pid]
        while todo:
            pid = todo.pop()
            found.add(pid)
            todo.extend(tree.get(pid, []))
        return found

    def stop(self, sig: int) -> tuple[float, set[int]]:
        """Signal the process group; how long until every process the demo started was gone, and
        those still there after 15 s (then killed, so that no test leaves them behind)."""
        started = self.processes()
        began = time.monotonic()
        os.killpg(self.process.pid, sig)
        while time.monotonic() - began < 15:
            left = {pid for pid in started if _alive(pid)}
            if not left:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - began
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(5)
        return elapsed, {(pid, _command(pid)) for pid in left}

    def get(self, path: str, opener=None, data: dict | None = None):
        opener = opener or urllib.request.build_opener()
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = opener.open(f"{self.url}{path}", data=body, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.url
        return response.status, response.read().decode(), response.url


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return "?"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    return _copy_checkout(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def reader_port_taken(checkout):
    """A first demo while another program listens on the virtual reader's port."""
    demo = Demo(checkout, PORTAL_ANOMALY_EMAIL_ARS="ars@demo.example", PORTAL_ANOMALY_EMAIL_CD="cd@demo.example")
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("0.0.0.0", demo.vpcd_port))
        squatter.listen()
        demo.start()
        yield demo
        if demo.process.poll() is None:
            demo.stop(signal.SIGTERM)


def _log_in(demo: Demo, email: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, page, _ = demo.get("/connexion/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, page, url = demo.get("/connexion/", opener, {"csrfmiddlewaretoken": token, "username": email,
                                                          "password": "demo-esms-2026"})
    assert status == 200 and "/connexion/" not in url, page[:2000]
    return opener, page, url


def test_the_demo_says_the_virtual_readers_port_is_taken_not_that_pcscd_is_missing(reader_port_taken):
    output = reader_port_taken.output
    assert "absent" not in output
    assert (f"la connexion par carte n'est pas disponible : le port {reader_port_taken.vpcd_port} du lecteur "
            "virtuel est déjà utilisé par un autre programme (") in output
    assert f", pid {os.getpid()})" in output  # the program that holds it: this test


def test_the_demo_shows_the_portals_french_404(reader_port_taken):
    status, page, _ = reader_port_taken.get("/nulle-part/")
    assert status == 404
    assert "Page introuvable" in page and "URLconf" not in page


def test_the_demos_mails_link_to_its_own_address(reader_port_taken):
    demo = reader_port_taken
    opener, page, home = _log_in(demo, "representant@demo.esms.example")
    organisation = re.search(r"/embarquement/([0-9a-f-]{36})/", home).group(1)
    report = f"/structures/{organisation}/signaler-une-anomalie/"
    _, page, _ = demo.get(report, opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, page, _ = demo.get(report, opener, {"csrfmiddlewaretoken": token, "field": "phone",
                                                "description": "Numéro de téléphone périmé."})
    assert status == 200 and "Votre signalement a été enregistré" in page
    mail = (demo.directory / "var/log/web.log").read_text(errors="replace")
    assert "Numéro de téléphone périmé." in mail
    assert f"Portail ESMS — {demo.url}" in mail and "127.0.0.1:8000" not in mail

    status, page, _ = demo.get("/back-office/", opener)  # the back office, to a legal representative
    assert status == 403 and "Accès refusé" in page
    log = (demo.directory / "var/log/web.log").read_text(errors="replace")
    assert "Forbidden (Permission denied): /back-office/" in log and "Traceback" not in log


def test_the_demo_refuses_a_web_port_that_is_the_card_agents_or_taken(checkout):
    same = Demo(checkout)
    same.env["DEMO_AGENT_PORT"] = same.env["DEMO_PORT"]
    refused = subprocess.run(["bin/demo"], cwd=checkout, env=same.env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert f"DEMO_PORT={same.port} est aussi le port de l'agent de carte" in refused.stderr

    taken = Demo(checkout)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", taken.port))
        squatter.listen()
        refused = subprocess.run(["bin/demo"], cwd=checkout, env=taken.env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert f"Le port {taken.port} est déjà utilisé par un autre programme" in refused.stderr


def test_ctrl_c_stops_every_process_of_the_demo_within_10_seconds(reader_port_taken):
    elapsed, left = reader_port_taken.stop(signal.SIGINT)
    assert not left and elapsed < 10, (elapsed, left, reader_port_taken.output[-1500:])


def test_sigterm_stops_the_demo_its_card_stack_and_the_emulator_within_10_seconds(checkout, reader_port_taken):
    demo = Demo(checkout).start()
    assert f"agent de carte démarré sur http://127.0.0.1:{demo.agent_port}" in demo.output
    national_id = re.search(r"cpx_emulator insert '([^']+)'", demo.output).group(1)
    # The emulator a user starts in another terminal leaves when the demo's readers close.
    emulator = subprocess.Popen(
        [".venv/bin/python", "manage.py", "cpx_emulator", "insert", national_id, "--port", str(demo.vpcd_port)],
        cwd=checkout, env={**demo.env, "DJANGO_DEBUG": "true"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True,
    )
    try:
        assert "insérée" in emulator.stdout.readline()
        names = {_command(pid).split(" -m ")[-1].split()[0] for pid in demo.processes() if " -m " in _command(pid)}
        assert {"cards.pcsc_stack", "cards.agent"} <= names
        assert any("pcscd --foreground" in _command(pid) for pid in demo.processes())
        elapsed, left = demo.stop(signal.SIGTERM)
        assert not left and elapsed < 10, (elapsed, left, demo.output[-1500:])
        emulator.wait(10)
    finally:
        if emulator.poll() is None:
            emulator.kill()
