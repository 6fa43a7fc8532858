"""The Pro Santé Connect login and logout in Debian's chromium, against the provider process: the
portal's button, PSC's login page, the gestionnaire's card session, then the header's « Se
déconnecter » through PSC's end_session (allowed by the portal's form-action) back to the login page."""

import pytest

from tests import browser_policy
from tests.browser_policy import violations

from .conftest import configure

page = browser_policy.page  # the fixture
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_logout_through_psc_in_chromium(live_server, page, settings, start_provider, gina):
    provider = start_provider(PSC_REDIRECT_URIS=f"{live_server.url}/connexion/psc/retour/",
                              PSC_POST_LOGOUT_REDIRECT_URIS=f"{live_server.url}/connexion/")
    configure(settings, provider)
    settings.PORTAL_PSC_LABEL = "Pro Santé Connect (simulé)"
    page.goto(f"{live_server.url}/connexion/")
    page.click("text=Se connecter avec Pro Santé Connect (simulé)")
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.fill("#identifier", gina.cards.get().national_id)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    assert page.locator("#card-session-state").is_visible()  # « Carte CPx connectée »
    assert violations(page) == []

    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_url(f"{provider.issuer}/session/end**")
    page.click("button[name=logout]")
    page.wait_for_url(f"{live_server.url}/connexion/**")
    assert page.locator("#psc-login").is_visible()
    assert violations(page) == []
