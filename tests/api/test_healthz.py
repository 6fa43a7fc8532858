import pytest

from esms_portal.celery import app as celery_app


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
    from esms_portal import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error"


@pytest.mark.redis
def test_it_reaches_the_configured_redis(client, db):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_it_answers_without_login_and_only_to_get(client, db):
    assert client.post("/healthz").status_code == 405
