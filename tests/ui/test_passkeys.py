"""Passkeys in Debian's chromium with its virtual authenticator (CDP WebAuthn): an ANS agent enrols a
passkey at his first login, logs out, and logs in again with his password and the passkey."""

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from tests.browser import PASSWORD, browser  # noqa: F401 (the fixture)
from tests.browser_policy import RECORD_VIOLATIONS, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                 "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}


@pytest.fixture
def passkey_page(browser, live_server, settings):  # noqa: F811
    settings.PORTAL_STAFF_2FA = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")  # a secure context for WebAuthn
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(message.text))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})["authenticatorId"]
    page.credentials = lambda: cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    yield page
    context.close()


def log_in_with_password(page, live_server, user):
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_an_agent_enrols_a_passkey_then_logs_in_with_password_and_passkey(live_server, passkey_page, ana):
    page = passkey_page
    log_in_with_password(page, live_server, ana)
    assert page.url.endswith(reverse("two-factor-enrol"))
    page.click("#passkey-register-button")
    page.wait_for_url(f"**{reverse('backup-codes')}")
    assert page.locator("#backup-codes li").count() == 10
    assert len(page.credentials()) == 1
    assert WebAuthnCredential.objects.filter(user=ana, confirmed=True).count() == 1
    page.click("text=J'ai noté mes codes, continuer")
    page.wait_for_url(f"**{reverse('backoffice:queue')}")

    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse('backoffice:queue')}")
    assert "/connexion/" in page.url  # logged out

    log_in_with_password(page, live_server, ana)
    assert page.url.endswith(reverse("two-factor-code"))
    page.click("#passkey-verification-button")
    page.wait_for_url(f"**{reverse('backoffice:queue')}")
    assert page.locator("h1").first.is_visible()
    page.goto(f"{live_server.url}{reverse('two-factor-account')}")  # a verified session: his 2FA page
    assert page.locator("#passkeys li").count() == 1
    assert violations(page) == []



def test_an_agent_with_an_app_adds_a_passkey_from_his_page_and_logs_in_with_it(live_server, passkey_page, ana):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from esms_portal.auth import two_factor

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTPDevice.objects.create(user=ana, name="app", confirmed=True, key=two_factor.secret_key_bytes(secret).hex())
    page = passkey_page
    log_in_with_password(page, live_server, ana)
    assert page.url.endswith(reverse("two-factor-code"))
    assert page.locator("#passkey-verification-button").count() == 0  # no passkey yet
    page.fill("input[name=code]", two_factor.totp(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{reverse('backoffice:queue')}")

    page.click(f"header a[href='{reverse('two-factor-account')}']")  # his name in the header
    assert page.locator("#passkeys li").count() == 0
    page.click("#passkey-register-button")
    page.wait_for_selector("#passkeys li")  # the page shown again with the passkey
    assert len(page.credentials()) == 1

    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()
    log_in_with_password(page, live_server, ana)
    page.click("#passkey-verification-button")
    page.wait_for_url(f"**{reverse('backoffice:queue')}")
    assert violations(page) == []
