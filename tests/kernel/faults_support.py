"""Real processes for the fault tests: a private redis-server and `celery worker` subprocesses.

The workers use tests.settings and the test database (committed rows: transaction=True tests), so
they find the handlers of tests/kernel_app/steps.py.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Engine settings of the fault tests: short lease and retries so that recoveries take seconds.
ENGINE = {
    "PORTAL_STEP_SWEEP_SECONDS": "0.5",
    "PORTAL_STEP_BATCH": "20",
    "PORTAL_STEP_MAX_IN_FLIGHT": "60",
    "PORTAL_STEP_LEASE_SECONDS": "4",
    "PORTAL_STEP_MAX_ATTEMPTS": "3",
    "PORTAL_STEP_RETRY_SECONDS": "0.3",
}
# Step ids per Celery message: one, as the engine first sent them; ten, as it does with a backlog
# (with claims of 20, the defaults above send two per message).
ONE_PER_MESSAGE = {"PORTAL_STEP_TASK_BATCH": "1"}
TEN_PER_MESSAGE = {"PORTAL_STEP_TASK_BATCH": "10", "PORTAL_STEP_BATCH": "100", "PORTAL_STEP_MAX_IN_FLIGHT": "240"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_tests() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, *, timeout: float, every: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class RedisServer:
    """A redis-server of the test's own on a free port, without persistence (a restart loses
    every queued message: the harshest case)."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server")

    def _answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Worker:
    """`celery -A esms_portal worker -B -c 2` (prefork) in its own process group."""

    def __init__(self, broker_url: str, log: Path, *, beat: bool = True, concurrency: int = 2, engine=None):
        self.broker_url, self.log, self.beat, self.concurrency = broker_url, log, beat, concurrency
        self.engine = {**ENGINE, **(engine or {})}
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        env = {
            **os.environ,
            **self.engine,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url_of_tests(),
            "DATABASE_CONN_MAX_AGE": "60",
            "CELERY_BROKER_URL": self.broker_url,
        }
        command = [sys.executable, "-m", "celery", "-A", "esms_portal", "worker", "-c", str(self.concurrency),
                   "-P", "prefork", "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "-n", f"faults{self.starts}@%h"]
        if self.beat:
            command += ["-B", "--schedule", str(self.log.parent / f"beat-{self.starts}")]
        with self.log.open("a") as out:
            out.write(f"\n===== start {self.starts} =====\n")
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def kill(self):
        """SIGKILL the whole worker: main process, pool processes and embedded beat at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text().splitlines()[-lines:])
