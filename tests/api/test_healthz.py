import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal import health
from esms_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def fresh_probe():
    health.broker_ok.forget()
    yield
    health.broker_ok.forget()


def test_it_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_broker_is_a_503(client, db, monkeypatch):
    connect = celery_app.connection_for_write
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "error"}


def test_an_unreachable_database_is_a_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"


def test_the_broker_is_probed_once_per_ttl_and_the_database_costs_one_query(client, db, monkeypatch, settings):
    """Polled every few seconds by every balancer: one broker connection per TTL, one cheap query per call."""
    settings.PORTAL_HEALTHZ_BROKER_TTL = 60
    opened = []
    connect = celery_app.connection_for_write
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: opened.append(1) or connect())
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
    assert len(opened) == 1
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"] * 5


def test_a_broker_that_comes_back_is_seen_after_the_ttl(client, db, monkeypatch, settings):
    settings.PORTAL_HEALTHZ_BROKER_TTL = 0
    connect = celery_app.connection_for_write
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:1/0"))
    assert client.get("/healthz").status_code == 503
    monkeypatch.setattr(celery_app, "connection_for_write", connect)
    assert client.get("/healthz").status_code == 200


@pytest.mark.redis
def test_it_reaches_the_configured_redis(client, db):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_it_answers_without_login_and_only_to_get(client, db):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    ("debug", "expected"),
    [("false", "60 True"), ("true", "0 False")],
)
def test_connections_persist_and_are_checked_outside_debug(debug, expected):
    """Production serves from persistent, health-checked connections without any variable set."""
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='esms_portal.settings';"
        "from django.conf import settings as s;d=s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {"DJANGO_DEBUG": debug, "DJANGO_SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
