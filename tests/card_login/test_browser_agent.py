"""The agent flow in Debian's chromium: the gestionnaire logs in with his virtual card through the
local card agent, then registers a professional, an act that needs the card (R-RPP-6)."""

import threading
from urllib.parse import urlsplit

import pytest

from cards import agent as card_agent
from tests.conftest import CHROMIUM

from .conftest import PIN

pytestmark = [pytest.mark.pcsc, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in the test thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ])
        page = browser.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


@pytest.fixture
def running_agent(live_server, settings, pcsc_stack):
    server = card_agent.make_server(card_agent.Agent(origin=live_server.url, wait_seconds=2), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PORTAL_CARD_AGENT_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.rule("R-RPP-6")
def test_the_gestionnaire_logs_in_with_his_card_and_registers_a_professional(
    live_server, running_agent, browser_page, slot, settings, accepted, gestionnaire_card, alpha
):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    settings.PORTAL_CARD_READER_MODE = False
    slot.insert(gestionnaire_card)
    page = browser_page

    page.goto(f"{live_server.url}/connexion/carte/?next=/rpps/enregistrer/")
    page.wait_for_selector("text=prête")
    page.fill("#agent-pin", PIN)
    page.click("#agent-submit")
    page.wait_for_url(lambda url: urlsplit(url).path == "/rpps/enregistrer/")

    assert page.locator("text=Carte CPx connectée").count() >= 1  # header and its mobile copy
    page.select_option("#id_site", index=1)
    page.select_option("#id_civility", index=1)
    page.fill("#id_last_name", "Lefèvre")
    page.fill("#id_first_names", "Camille")
    page.fill("#id_birth_date", "1990-04-12")
    page.fill("#id_birth_commune_code", "69123")
    page.fill("#id_email", "camille.lefevre@example.org")
    page.fill("#id_mobile", "06 12 34 56 78")
    page.fill("#id_practice_last_name", "Lefèvre")
    page.fill("#id_practice_first_name", "Camille")
    page.select_option("#id_profession_code", index=1)
    page.select_option("#id_role_code", index=1)
    page.fill("#id_start_date", "2026-11-02")
    page.locator("form button[type=submit]").last.click()

    page.wait_for_load_state()
    assert "Professionnel enregistré" in page.inner_text("main"), page.inner_text("main")

    slot.remove()  # the agent sees the card leave and tells the portal
    for _ in range(30):
        page.reload()
        if page.locator("text=Carte CPx connectée").count() == 0:
            break
        page.wait_for_timeout(200)
    assert page.locator("text=Connexion par carte").count() >= 1
