"""Logging out of a session opened by Pro Santé Connect ends the PSC session too (RP-initiated
logout: the provider's end_session_endpoint with id_token_hint and post_logout_redirect_uri)."""

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from django.urls import reverse

from .conftest import AFTER_LOGOUT, follow, psc_log_in

pytestmark = pytest.mark.django_db


def test_logout_reaches_the_providers_end_session(client, browser, psc_on, gina):
    identifier = gina.cards.get().national_id
    assert psc_log_in(client, browser, identifier).status_code == 302
    id_token = client.session["portal_psc"]["id_token"]
    # Single sign-on: while the PSC session lasts, a new login does not ask again.
    again = follow(browser, client.get(reverse("psc-login"))["Location"])
    assert again.status_code == 303 and again.headers["Location"].startswith("http://testserver/connexion/psc/retour/")

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{psc_on.issuer}/session/end"
    assert query["id_token_hint"] == id_token and query["post_logout_redirect_uri"] == AFTER_LOGOUT
    assert "_auth_user_id" not in client.session

    # At PSC: the confirmation, then back to the portal's login page.
    page = browser.get(response["Location"], timeout=10)
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>.*?name="xsrf" value="([^"]+)"', page.text, re.S)
    back = browser.post(urljoin(page.url, form.group(1)), data={"xsrf": form.group(2), "logout": "yes"},
                        allow_redirects=False, timeout=10)
    assert back.status_code in (302, 303) and back.headers["Location"].startswith(AFTER_LOGOUT)

    # The PSC session is over: a new login asks for the card or e-CPS again.
    start = follow(browser, client.get(reverse("psc-login"))["Location"])
    assert start.status_code == 200 and "/interaction/" in start.url


def test_a_password_session_logs_out_as_before(client, psc_on, gina):
    client.force_login(gina)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
