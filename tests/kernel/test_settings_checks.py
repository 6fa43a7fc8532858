"""Production settings: `check --deploy` is clean with strong values, and a weak secret stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from esms_portal.core.checks import secret_key_problem

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update(DJANGO_SETTINGS_MODULE="esms_portal.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def _production_env(**overrides):
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "portail.esms.example",
        "PORTAL_PKI_PASSPHRASE": secrets.token_urlsafe(24),
    }
    env.update(overrides)
    return env


def test_check_deploy_reports_no_warning_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "short", "django-insecure-" + "x" * 60])
def test_the_portal_refuses_to_start_with_a_weak_secret(secret):
    result = _manage("check", **_production_env(DJANGO_SECRET_KEY=secret))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_secret_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(64))
    env = _production_env(DJANGO_SECRET_KEY_FILE=str(key_file))
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr


def test_secret_key_problem_accepts_a_generated_key():
    assert secret_key_problem(secrets.token_urlsafe(64)) is None
    assert secret_key_problem("a" * 60) is not None
