"""The Content-Security-Policy in Debian's chromium: the DSFR pages, a form and Swagger UI work under
it, with no violation reported (the card-login page: tests/card_login/test_browser_content_policy.py)."""

import pytest
from django.urls import reverse

from tests import browser_policy
from tests.browser_policy import violations

page = browser_policy.page  # the fixture
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dsfr_pages_a_form_and_swagger_ui_work_under_the_policy(live_server, page, alice, alpha, draft):
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


def test_a_blocked_inline_script_is_reported(live_server, page):
    """The check itself: an inline script injected into a portal page is refused and seen."""
    page.goto(f"{live_server.url}/connexion/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in line for line in violations(page))
