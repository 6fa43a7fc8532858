"""ANS agents log in with their password and a TOTP code (DESIGN.md "Who uses it": 2FA), on django-otp."""

import base64
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def enrol(user, secret=SECRET) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=two_factor.TOTP_DEVICE_NAME, confirmed=True,
                                     key=two_factor.secret_key_bytes(secret).hex())


@pytest.fixture
def agent(ana):
    enrol(ana)
    return ana


def _password(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    return client.post(f"/connexion/?next={next_url}" if next_url else "/connexion/", data)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# TOTP

def test_totp_gives_the_rfc_6238_sha1_test_vector():
    assert two_factor.totp(RFC_SECRET, at=59) == "287082"
    assert two_factor.totp(RFC_SECRET, at=1111111109) == "081804"


def test_a_code_matches_one_step_either_side_and_not_two(agent):
    code = two_factor.totp(SECRET, at=3000)
    with time_machine.travel(3000 + 30, tick=False):
        assert two_factor.user_verify(user=agent, code=code) is not None
    TOTPDevice.objects.filter(user=agent).update(last_t=-1, drift=0)
    with time_machine.travel(3000 - 30, tick=False):
        assert two_factor.user_verify(user=agent, code=code) is not None
    TOTPDevice.objects.filter(user=agent).update(last_t=-1, drift=0)
    with time_machine.travel(3000 + 60, tick=False):
        assert two_factor.user_verify(user=agent, code=code) is None
        assert two_factor.user_verify(user=agent, code="12a456") is None


def test_the_device_keeps_the_key_as_django_otp_does(agent):
    device = TOTPDevice.objects.get(user=agent)
    assert device.bin_key == base64.b32decode(SECRET) and device.confirmed
    assert (device.step, device.digits, device.tolerance) == (30, 6, 1)


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
    assert client.session["otp_device_id"] == TOTPDevice.objects.get(user=agent).persistent_id  # is_verified()


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
    assert secret not in str(dict(client.session))  # the offered secret rides sealed in the session
    response = client.post("/connexion/code/enrolement/", {"code": two_factor.totp(secret)})
    assert response["Location"] == "/connexion/codes-de-secours/" and _logged_in(client)
    assert TOTPDevice.objects.get(user=ana, confirmed=True).bin_key == two_factor.secret_key_bytes(secret)
    page = client.get("/connexion/codes-de-secours/")
    codes = page.context["codes"]
    assert len(codes) == two_factor.BACKUP_CODES == len(set(codes)) and page.context["next"] == "/"
    assert all(code in page.content.decode() for code in codes)
    assert client.get("/connexion/codes-de-secours/")["Location"] == "/compte/double-authentification/"  # once


def test_a_wrong_enrolment_code_saves_no_secret(client, ana):
    _password(client, ana)
    secret = client.get("/connexion/code/enrolement/").context["secret"].replace(" ", "")
    wrong = "000000" if two_factor.totp(secret) != "000000" else "111111"
    response = client.post("/connexion/code/enrolement/", {"code": wrong})
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=ana).exists() and not _logged_in(client)


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
    assert two_factor.user_verify(user=agent, code=out.getvalue().strip()) is not None


def test_the_demo_agent_logs_in_with_the_published_secret(client, db):
    UserFactory(email=DEMO_AGENT, is_staff=True)
    out = io.StringIO()
    enrol_demo_agent(out)
    assert DEMO_SECRET in out.getvalue() and "totp_code" in out.getvalue()
    enrol_demo_agent(io.StringIO())  # loading the demo again keeps one device
    assert TOTPDevice.objects.filter(user__email=DEMO_AGENT).count() == 1
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


# Backup codes

def _backup_codes(agent) -> list[str]:
    return two_factor.new_backup_codes(agent)


def test_a_backup_code_completes_the_login_once(client, agent):
    codes = _backup_codes(agent)
    _password(client, agent, next_url="/back-office/")
    response = client.post("/connexion/code/", {"code": codes[3].upper()})
    assert response["Location"] == "/back-office/" and _logged_in(client)
    client.post("/deconnexion/")
    _password(client, agent)
    response = client.post("/connexion/code/", {"code": codes[3]})
    assert "déjà utilisé" in response.content.decode() and not _logged_in(client)
    assert two_factor.backup_codes_left(agent) == two_factor.BACKUP_CODES - 1


def test_an_agent_renews_his_backup_codes_from_his_second_factor_page(client, agent):
    old = _backup_codes(agent)
    _password(client, agent)
    client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    page = client.get("/compte/double-authentification/")
    assert page.status_code == 200 and "10 codes de secours restants" in " ".join(page.content.decode().split())
    response = client.post("/compte/double-authentification/codes-de-secours/", follow=True)
    new = response.context["codes"]
    assert set(new).isdisjoint(old) and StaticToken.objects.filter(device__user=agent).count() == 10
    assert two_factor.user_verify(user=agent, code=old[0]) is None
    assert two_factor.user_verify(user=agent, code=new[0]) is not None


def test_the_second_factor_page_wants_the_second_factor(client, agent):
    client.force_login(agent)  # a session without its second factor (is_verified() is False)
    assert client.get("/compte/double-authentification/").status_code == 403
    assert client.post("/compte/double-authentification/codes-de-secours/").status_code == 403


def test_the_second_factor_page_is_an_agents(client, alice):
    client.force_login(alice)
    assert client.get("/compte/double-authentification/").status_code == 404


# Passkeys (their ceremonies in chromium: tests/ui/test_passkeys.py)

def test_the_passkey_steps_need_a_pending_login(client, agent):
    for step in ("connexion/debut", "connexion/fin", "enrolement/debut", "enrolement/fin"):
        answer = client.post(f"/connexion/cle-d-acces/{step}/")
        assert answer.status_code == 403 and answer.json()["code"] == "login_expired"


def test_an_enrolled_agent_cannot_enrol_a_passkey_in_his_pending_login(client, agent):
    _password(client, agent)  # his pending login is for the code, not an enrolment
    assert client.post("/connexion/cle-d-acces/enrolement/debut/").json()["code"] == "login_expired"


def test_the_passkey_login_offers_the_agents_credentials_only(client, agent):
    _password(client, agent)
    options = client.post("/connexion/cle-d-acces/connexion/debut/").json()
    assert options["rpId"] == "localhost" and options["allowCredentials"] == []
    page = client.get("/connexion/code/").content.decode()
    assert "passkey-verification-button" not in page  # no passkey: no button


def test_an_agent_without_second_factor_is_offered_a_passkey_enrolment(client, ana):
    _password(client, ana)
    options = client.post("/connexion/cle-d-acces/enrolement/debut/").json()
    assert options["rp"] == {"id": "localhost", "name": "Portail ESMS"} and options["user"]["name"] == ana.email
    page = client.get("/connexion/code/enrolement/").content.decode()
    assert 'id="passkey-register-button"' in page and "/connexion/cle-d-acces/enrolement/debut/" in page


def test_the_passkey_scripts_speak_french(client, db):
    catalog = client.get("/webauthn/jsi18n/").content.decode()
    assert '"Registration successful!": "Cl\\u00e9 d\'acc\\u00e8s enregistr\\u00e9e."' in catalog


def test_the_code_step_and_the_second_factor_page_stay_within_their_queries(
        client, agent, django_assert_max_num_queries):
    _password(client, agent)
    with django_assert_max_num_queries(22):  # session, user, lockout checks, the locked device, the login
        client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    with django_assert_max_num_queries(8):  # session, user, the session's device, app, passkeys, backup codes,
        # the header's notification counts
        assert client.get("/compte/double-authentification/").status_code == 200
