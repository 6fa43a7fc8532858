"""ANS agents log in with their password and a TOTP code (DESIGN.md "Who uses it": 2FA)."""

import base64
import io

import pytest
from django.core.management import CommandError, call_command

from esms_portal.auth import two_factor
from esms_portal.auth.two_factor_demo import DEMO_AGENT, DEMO_SECRET, enrol_demo_agent
from esms_portal.models import User
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.PORTAL_STAFF_2FA = True


@pytest.fixture
def agent(ana):
    User.objects.filter(pk=ana.pk).update(totp_secret=two_factor.seal(SECRET))
    ana.refresh_from_db()
    return ana


def _password(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    return client.post(f"/connexion/?next={next_url}" if next_url else "/connexion/", data)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# TOTP

def test_totp_gives_the_rfc_6238_sha1_test_vector():
    assert two_factor.totp(RFC_SECRET, at=59, digits=8) == "94287082"
    assert two_factor.totp(RFC_SECRET, at=59) == "287082"
    assert two_factor.totp(RFC_SECRET, at=1111111109, digits=8) == "07081804"


def test_hotp_gives_the_rfc_4226_test_values():
    key = b"12345678901234567890"
    assert [two_factor.hotp(key, counter) for counter in range(3)] == ["755224", "287082", "359152"]


def test_a_code_matches_one_step_either_side_and_not_two():
    code = two_factor.totp(SECRET, at=3000)
    assert two_factor.matching_step(SECRET, code, at=3000 + 30) == 100
    assert two_factor.matching_step(SECRET, code, at=3000 - 30) == 100
    assert two_factor.matching_step(SECRET, code, at=3000 + 60) is None
    assert two_factor.matching_step(SECRET, "12a456", at=3000) is None


def test_the_secret_is_stored_encrypted(agent):
    assert SECRET not in agent.totp_secret
    assert two_factor.unseal(agent.totp_secret) == SECRET


def test_the_enrolment_uri_is_the_authenticator_key_uri():
    uri = two_factor.provisioning_uri(SECRET, "ana@esante.example")
    assert uri == f"otpauth://totp/Portail%20ESMS:ana@esante.example?secret={SECRET}&issuer=Portail%20ESMS"


# Login

def test_the_password_alone_does_not_log_an_agent_in(client, agent):
    response = _password(client, agent)
    assert response.status_code == 302 and response["Location"] == "/connexion/code/"
    assert not _logged_in(client)
    assert client.get("/").status_code == 302


def test_the_code_completes_the_agent_login_where_he_was_going(client, agent):
    _password(client, agent, next_url="/back-office/")
    response = client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    assert response["Location"] == "/back-office/"
    assert _logged_in(client) and int(client.session["_auth_user_id"]) == agent.pk


def test_a_wrong_code_is_refused_in_french(client, agent):
    _password(client, agent)
    wrong = "000000" if two_factor.totp(SECRET) != "000000" else "111111"
    response = client.post("/connexion/code/", {"code": wrong})
    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé" in response.content.decode()
    assert not _logged_in(client)


def test_a_code_is_accepted_once(client, agent):
    code = two_factor.totp(SECRET)
    _password(client, agent)
    client.post("/connexion/code/", {"code": code})
    client.post("/deconnexion/")
    _password(client, agent)
    response = client.post("/connexion/code/", {"code": code})
    assert "déjà utilisé" in response.content.decode()
    assert not _logged_in(client)


def test_the_code_step_expires_after_five_minutes(client, agent):
    _password(client, agent)
    session = client.session
    session[two_factor.SESSION_KEY]["since"] -= two_factor.PENDING_SECONDS + 1
    session.save()
    response = client.post("/connexion/code/", {"code": two_factor.totp(SECRET)}, follow=True)
    assert response.redirect_chain[0] == ("/connexion/", 302)
    assert "Votre connexion a expiré" in response.content.decode()
    assert not _logged_in(client)


def test_five_wrong_codes_send_back_to_the_password(client, agent, settings):
    settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT = 10  # the lockout (test_login_lockout.py) comes later
    _password(client, agent)
    wrong = "000000" if two_factor.totp(SECRET) != "000000" else "111111"
    for _ in range(two_factor.MAX_TRIES - 1):
        assert client.post("/connexion/code/", {"code": wrong}).status_code == 200
    response = client.post("/connexion/code/", {"code": wrong}, follow=True)
    assert response.redirect_chain[0] == ("/connexion/", 302)
    assert "Trop de codes erronés" in response.content.decode()
    response = client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    assert response["Location"] == "/connexion/" and not _logged_in(client)


def test_the_code_page_without_a_password_step_sends_to_the_login(client, agent):
    assert client.get("/connexion/code/")["Location"] == "/connexion/"


def test_an_organisation_user_logs_in_with_the_password_only(client, alice):
    response = _password(client, alice)
    assert response["Location"] == "/" and _logged_in(client)


def test_without_the_setting_an_agent_logs_in_with_the_password(client, agent, settings):
    settings.PORTAL_STAFF_2FA = False
    _password(client, agent)
    assert _logged_in(client)


# Enrolment

def test_an_agent_without_a_secret_enrols_it_with_a_first_code(client, ana):
    assert _password(client, ana)["Location"] == "/connexion/code/enrolement/"
    page = client.get("/connexion/code/enrolement/")
    secret = page.context["secret"].replace(" ", "")
    uri = f"otpauth://totp/Portail%20ESMS:{ana.email}?secret={secret}&amp;issuer=Portail%20ESMS"
    assert uri in page.content.decode() and "QR code" in page.content.decode()
    assert client.get("/connexion/code/enrolement/").context["secret"].replace(" ", "") == secret
    response = client.post("/connexion/code/enrolement/", {"code": two_factor.totp(secret)})
    assert response["Location"] == "/" and _logged_in(client)
    ana.refresh_from_db()
    assert two_factor.unseal(ana.totp_secret) == secret and secret not in ana.totp_secret


def test_a_wrong_enrolment_code_saves_no_secret(client, ana):
    _password(client, ana)
    secret = client.get("/connexion/code/enrolement/").context["secret"].replace(" ", "")
    wrong = "000000" if two_factor.totp(secret) != "000000" else "111111"
    response = client.post("/connexion/code/enrolement/", {"code": wrong})
    assert "Code incorrect" in response.content.decode()
    ana.refresh_from_db()
    assert ana.totp_secret == "" and not _logged_in(client)


def test_an_enrolled_agent_cannot_enrol_again(client, agent):
    _password(client, agent)
    assert client.get("/connexion/code/enrolement/")["Location"] == "/connexion/"


# Django admin

def test_the_admin_login_goes_through_the_portal_login(client, agent):
    response = client.get("/admin/", follow=True)
    assert [url for url, _ in response.redirect_chain] == ["/admin/login/?next=/admin/", "/connexion/?next=%2Fadmin%2F"]
    _password(client, agent, next_url="/admin/")
    response = client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_cannot_be_posted_to(client, agent):
    response = client.post("/admin/login/", {"username": agent.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    assert not _logged_in(client)


def test_an_organisation_user_gets_a_403_on_the_admin_login(client, alice):
    client.force_login(alice)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


# Demo

def test_totp_code_refuses_outside_debug(agent, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("totp_code", agent.email)


def test_totp_code_prints_the_current_code_in_debug(agent, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("totp_code", agent.email, stdout=out)
    assert two_factor.matching_step(SECRET, out.getvalue().strip()) is not None


def test_the_demo_agent_logs_in_with_the_published_secret(client, db):
    UserFactory(email=DEMO_AGENT, is_staff=True)
    out = io.StringIO()
    enrol_demo_agent(out)
    assert DEMO_SECRET in out.getvalue() and "totp_code" in out.getvalue()
    _password(client, User.objects.get(email=DEMO_AGENT))
    client.post("/connexion/code/", {"code": two_factor.totp(DEMO_SECRET)})
    assert _logged_in(client)


def test_an_agent_gets_no_api_token_with_his_password_alone(client, settings, db):
    from django.urls import reverse

    from tests.factories import UserFactory

    settings.PORTAL_STAFF_2FA = True
    UserFactory(email="agent2@esante.example", is_staff=True)
    response = client.post(reverse("api-token"), {"email": "agent2@esante.example",
                                                  "password": "correct horse battery staple"})
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
