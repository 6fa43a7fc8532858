"""docker-compose.yml runs the whole stack; `docker-compose config` accepts it where the tool exists."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_web_worker_beat_postgres_redis_and_a_mail_catcher():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "mail"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    assert services["worker"]["environment"]["CELERY_BROKER_URL"].startswith("redis://")
    assert services["web"]["environment"]["DJANGO_DEBUG"] == "false"

    tool = shutil.which("docker-compose")
    if tool:  # the compose CLI validates interpolation and anchors as Docker would
        env = {**os.environ, "DJANGO_SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"}
        result = subprocess.run([tool, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
