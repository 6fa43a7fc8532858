import pytest
from django.test import RequestFactory

from esms_portal.auth import card_session
from esms_portal.core.errors import CardLoginRequired
from esms_portal.core.permissions import may, require


@pytest.fixture
def card_login_required(settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True


@pytest.mark.rule("R-RPP-6")
def test_a_password_session_may_not_register_when_card_login_is_required(card_login_required, alpha, alice):
    assert not may(alice, "rpps.register", alpha)
    with pytest.raises(CardLoginRequired):
        require(alice, "rpps.register", alpha)


@pytest.mark.rule("R-RPP-6")
def test_a_card_session_may_register(card_login_required, alpha, alice):
    alice.card_authenticated = True
    assert may(alice, "rpps.register", alpha)


def test_the_requirement_is_on_by_default_outside_debug():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.PORTAL_CARD_LOGIN_REQUIRED)"],
        env={"DJANGO_SETTINGS_MODULE": "esms_portal.settings", "DJANGO_DEBUG": "false",
             "DJANGO_SECRET_KEY": "k3" * 30, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "True"


def test_an_opposed_card_ends_the_card_session(db, alice, settings, monkeypatch):
    request = RequestFactory().get("/")
    request.session = {}
    monkeypatch.setattr(card_session, "_card_usable", lambda card_id: card_id != "opposed")
    card_session.mark_card_authenticated(request, card_id="opposed", national_id="899700218896")
    assert card_session.card_of_session(request) is None
    assert card_session.SESSION_KEY not in request.session


def test_an_idle_card_session_expires(db, settings, monkeypatch):
    request = RequestFactory().get("/")
    request.session = {}
    monkeypatch.setattr(card_session, "_card_usable", lambda card_id: True)
    card_session.mark_card_authenticated(request, card_id="c1", national_id="899700218896")
    assert card_session.card_of_session(request)["card"] == "c1"
    request.session[card_session.SESSION_KEY]["seen"] -= settings.PORTAL_CARD_SESSION_IDLE_SECONDS + 1
    assert card_session.card_of_session(request) is None
