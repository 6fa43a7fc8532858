"""In chromium: the situation's page shows the RPPS number its timed step allocates, without a reload,
and htmx runs under the Content-Security-Policy without a violation."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from esms_portal.models import ScheduledStep
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)

from .conftest import run_due_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_page_shows_the_allocated_number_without_reloading(live_server, browser, settings,  # noqa: F811
                                                                    gina, registered):
    settings.PORTAL_LIVE_SECONDS = 1
    page = logged_in_page(browser, live_server, gina)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/rpps/situations/{registered.pk}/")
    number = page.locator("#rpps-number")
    assert "en cours d'attribution" in number.inner_text()
    page.evaluate("window.notReloaded = true")

    # The engine runs the step: the 30 minutes are over.
    ScheduledStep.objects.filter(kind="rpps_plus.rpps_number").update(due_at=timezone.now())
    assert run_due_steps() == ["rpps_plus.rpps_number"]
    registered.professional.refresh_from_db()
    allocated = registered.professional.rpps

    expect(page.locator("#rpps-number")).to_contain_text(allocated, timeout=15000)
    assert page.evaluate("window.notReloaded") is True
    assert number.get_attribute("hx-get") is None  # final: the page stopped asking
    assert not [text for text in console if "Content Security Policy" in text or "htmx" in text.lower()], console
    page.close()
