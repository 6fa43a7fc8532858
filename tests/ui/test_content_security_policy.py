"""The Content-Security-Policy in Debian's chromium: the DSFR pages, a form, Swagger UI and the
card-login page (talking to the local card agent) work under it, with no violation reported."""

import threading

import pytest
from django.urls import reverse

from cards import agent as card_agent
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# Each violation is also an event of the page: recorded before any script of the page runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in the test thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(15000)
        page.add_init_script(RECORD_VIOLATIONS)
        page.console_lines = []
        page.on("console", lambda message: page.console_lines.append(message.text))
        yield page
        browser.close()


@pytest.fixture
def card_agent_running(live_server, settings):
    """The local card agent, with no reader on this machine: its status still answers."""
    server = card_agent.make_server(card_agent.Agent(origin=live_server.url, wait_seconds=0), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PORTAL_CARD_AGENT_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def violations(page) -> list[str]:
    reported = page.evaluate("window.__violations")
    console = [line for line in page.console_lines if "Content Security Policy" in line]
    return reported + console


def test_the_pages_of_each_kind_work_under_the_policy(live_server, page, alice, alpha, draft, card_agent_running):
    response = page.goto(f"{live_server.url}/connexion/")  # a DSFR page and its scripts
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("input[name=username]", alice.email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/embarquement/{alpha.pk}/")
    page.click("footer button[aria-controls=fr-theme-modal]")  # the DSFR's own script opens its modal
    page.wait_for_selector("#fr-theme-modal.fr-modal--opened")
    assert violations(page) == []

    page.goto(live_server.url + reverse("contracts:edit", args=[draft.pk]))  # a form page
    page.fill("#id_representative_last_name", "Martin")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert violations(page) == []

    page.goto(f"{live_server.url}/api/schema/ui/")  # Swagger UI, its script a file of its own
    page.wait_for_selector(".swagger-ui .opblock-tag")
    page.locator(".swagger-ui .opblock-summary").first.click()
    assert violations(page) == []

    page.goto(f"{live_server.url}/connexion/carte/")  # the card login, talking to the local agent
    status = page.locator("#card-agent-status")
    status.filter(has_not_text="Recherche").wait_for()
    assert "injoignable" not in status.inner_text()  # the agent answered: connect-src allows it
    assert violations(page) == []


def test_a_blocked_inline_script_is_reported(live_server, page):
    """The check itself: an inline script injected into a portal page is refused and seen."""
    page.goto(f"{live_server.url}/connexion/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in line for line in violations(page))
