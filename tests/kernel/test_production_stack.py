"""The production stack, run for real without Docker: the processes of docker-compose.yml (migrate,
gunicorn with 2 workers, a Celery worker, beat) on production settings, on this machine's PostgreSQL
and Redis, with a real SMTP server in place of the mail catcher; then a smoke scenario over HTTP.

It fails if a process exits early, logs an error, or does not stop cleanly on SIGTERM.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings

from tests.conftest import redis_url
from tests.kernel.faults_support import free_port, wait_for
from tests.rpps_plus.conftest import person

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# What a TLS proxy in front of web adds (PORTAL_NUM_PROXIES=1 in docker-compose.yml).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}
# Log lines that fail the test, in any process's output.
TROUBLE = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: str, tmp_path: Path) -> list[str]:
    """The service's command as docker-compose.yml writes it, its /tmp files moved into tmp_path."""
    return [str(tmp_path / Path(part).name) if part.startswith("/tmp/") else part
            for part in compose()["services"][service]["command"]]


class Database:
    """A database of its own on the machine's PostgreSQL, dropped afterwards."""

    def __init__(self):
        db = settings.DATABASES["default"]
        self.name = f"{db['NAME']}_stack"
        self.server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
                       "password": db["PASSWORD"] or None}

    @property
    def url(self) -> str:
        s = self.server
        auth = s["user"] + (f":{s['password']}" if s["password"] else "")
        return f"postgres://{auth}@{s['host']}:{s['port']}/{self.name}"

    def _admin(self, sql: str):
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            conn.execute(sql)

    def create(self):
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Stack:
    """Processes started like compose's services, each in its own process group, each with its log."""

    def __init__(self, tmp_path: Path, env: dict):
        self.tmp_path, self.env = tmp_path, env
        self.processes: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> Path:
        return self.tmp_path / f"{name}.log"

    def run(self, name: str, command: list[str], timeout: float = 900):
        with self.log(name).open("w") as out:
            done = subprocess.run(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        assert done.returncode == 0, f"{name} failed:\n{self.log(name).read_text()[-3000:]}"

    def start(self, name: str, command: list[str]):
        out = self.log(name).open("w")
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def assert_running(self):
        for name, process in self.processes.items():
            assert process.poll() is None, f"{name} exited early:\n{self.log(name).read_text()[-3000:]}"

    def stop(self, timeout: float = 20) -> dict[str, int | None]:
        """SIGTERM to each process group, as compose stops a container; the exit codes."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        codes = {}
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                codes[name] = None
        return codes

    def trouble(self) -> dict[str, list[str]]:
        found = {}
        for log in self.tmp_path.glob("*.log"):
            lines = [line for line in log.read_text(errors="replace").splitlines() if TROUBLE.search(line)]
            if lines:
                found[log.stem] = lines[:10]
        return found


def production_env(tmp_path: Path, database: Database, web_port: int, smtp_port: int) -> dict:
    """docker-compose.yml's environment, its service addresses and volumes pointed at this machine."""
    broker = re.sub(r"/\d+$", "/15", redis_url())  # a Redis database of its own
    ours = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "https://localhost",  # the mails' links: the TLS proxy's address
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "DATABASE_URL": database.url,
        "CELERY_BROKER_URL": broker,
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "PORTAL_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PORTAL_PKI_PASSPHRASE": secrets.token_urlsafe(24),
        "PORTAL_PKI_DIR": str(tmp_path / "pki"),
    }
    portal_env = compose()["x-portal"]["environment"]
    # Mutual TLS (PORTAL_MTLS_*) needs nginx in front: tests/identity/test_mtls.py runs it.
    missing = set(portal_env) - set(ours) - {"DATABASE_CONN_MAX_AGE", "PORTAL_NUM_PROXIES", "PORTAL_MTLS_HEADER",
                                             "PORTAL_MTLS_PROXIES"}
    assert not missing, f"docker-compose.yml sets {missing}: give them a value here"
    env = {key: value for key, value in portal_env.items() if "${" not in str(value)}
    env.update({key: re.sub(r"\$\{\w+:-(\w*)\}", r"\1", str(value)) for key, value in portal_env.items()
                if key == "PORTAL_NUM_PROXIES"})
    return {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        **env,
        **ours,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        # The smoke scenario registers through the API with a password token; card login has its own
        # tests (tests/card_login) on the real PC/SC stack.
        "PORTAL_CARD_LOGIN_REQUIRED": "false",
        # A day becomes a minute: the RPPS number's half hour is about a second.
        "PORTAL_TIME_COMPRESSION": "1440",
        "PORTAL_STEP_SWEEP_SECONDS": "0.5",
    }


def http(port: int, path: str, *, data: dict | None = None, token: str | None = None):
    headers = dict(PROXY_HEADERS)
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def answers(port: int) -> bool:
    try:
        return http(port, "/healthz")[0] == 200
    except OSError:
        return False


@pytest.fixture
def stack(tmp_path):
    database = Database()
    database.create()
    web_port, smtp_port = free_port(), free_port()
    stack = Stack(tmp_path, production_env(tmp_path, database, web_port, smtp_port))
    stack.web_port = web_port
    # A real SMTP server in place of the mail catcher: it prints every message it receives.
    stack.start("smtp", [sys.executable, "-u", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer",
                         f"127.0.0.1:{smtp_port}"])
    try:
        yield stack
    finally:
        stack.stop()
        database.drop()


def test_the_compose_processes_serve_a_timed_step_and_stop_cleanly(stack, tmp_path):
    # migrate (+ pki_init) as compose's one-shot service, static files as the Dockerfile's build does.
    stack.run("migrate", command_of("migrate", tmp_path))
    stack.run("collectstatic", ["python", "manage.py", "collectstatic", "--noinput", "-v0"])
    stack.run("load_demo", ["python", "manage.py", "load_demo"])
    for service in ("web", "worker", "beat"):
        stack.start(service, command_of(service, tmp_path))
    port = stack.web_port
    wait_for(lambda: answers(port) or stack.assert_running(), timeout=60, what="gunicorn")

    # The login page over the TLS proxy, with its static files from whitenoise's manifest.
    status, _, page = http(port, "/connexion/")
    assert status == 200 and "Connexion" in page.decode()
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.decode())
    assert css, "no hashed stylesheet on the login page (manifest static files)"
    status, headers, _ = http(port, css.group(1))
    assert status == 200 and "max-age=315360000" in headers.get("Cache-Control", "")
    assert http(port, "/connexion/")[0] == 200
    # Plain HTTP without the proxy's header is sent to HTTPS (SECURE_SSL_REDIRECT), healthz excepted.
    plain = urllib.request.Request(f"http://127.0.0.1:{port}/connexion/")
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(plain, timeout=10)
    assert redirect.value.code == 301
    assert json.loads(http(port, "/healthz")[2]) == {"status": "ok", "database": "ok", "broker": "ok"}

    # The gestionnaire registers a professional through the API; the worker mails the RPPS number.
    status, _, body = http(port, "/api/v1/auth/token/",
                           data={"email": "gestionnaire@demo.esms.example", "password": "demo-esms-2026"})
    assert status == 200, body
    token = json.loads(body)["token"]
    professional = {key: str(value) for key, value in person(email="stack.smoke@example.org").items()}
    status, _, body = http(port, "/api/v1/rpps/situations/", data={**professional, "site": "0B1000021"},
                           token=token)
    assert status == 201, body
    mails = stack.log("smtp")
    wait_for(lambda: "stack.smoke@example.org" in mails.read_text(errors="replace")
             and re.search(r"RPPS\D{0,40}\b\d{11}\b", mails.read_text(errors="replace")),
             timeout=60, every=0.5, what="the RPPS number mailed by the worker")
    stack.assert_running()

    codes = stack.stop()
    assert {name: codes[name] for name in ("web", "worker", "beat")} == {"web": 0, "worker": 0, "beat": 0}
    assert stack.trouble() == {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
