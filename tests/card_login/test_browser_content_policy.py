"""The card-login page under the Content-Security-Policy, in chromium: its script talks to the local
card agent (connect-src names the agent's origin), with no violation reported."""

import threading

import pytest

from cards import agent as card_agent
from tests import browser_policy
from tests.browser_policy import violations

page = browser_policy.page  # the fixture
pytestmark = [pytest.mark.pcsc, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def card_agent_running(live_server, settings, pcsc_stack):
    """The local card agent on the private pcscd (its readers empty): its status answers."""
    server = card_agent.make_server(card_agent.Agent(origin=live_server.url, wait_seconds=0), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PORTAL_CARD_AGENT_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_the_card_login_page_talks_to_the_local_agent_under_the_policy(live_server, page, card_agent_running,
                                                                       settings):
    response = page.goto(f"{live_server.url}/connexion/carte/")
    policy = response.headers["content-security-policy"]
    assert f"connect-src 'self' {settings.PORTAL_CARD_AGENT_URL}" in policy and "script-src 'self'" in policy
    status = page.locator("#card-agent-status")
    status.filter(has_not_text="Recherche").wait_for()
    assert "injoignable" not in status.inner_text()  # the agent answered: connect-src allows it
    assert violations(page) == []
