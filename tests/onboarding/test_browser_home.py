"""The organisation's home in a real browser (Debian's chromium): screenshot, and the drawing's text
alternative as assistive technologies read it, with and without JavaScript."""

import pytest

from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in the test thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _log_in(page, url, email):
    page.goto(f"{url}/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("main button[type=submit]")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_the_home_shows_the_timeline_and_its_text_alternative(live_server, browser, alice, alpha, tmp_path,
                                                             javascript):
    page = browser.new_page(java_script_enabled=javascript)
    page.set_default_timeout(15000)
    _log_in(page, live_server.url, alice.email)
    page.wait_for_url(f"**/embarquement/{alpha.pk}/")
    assert page.locator("h1").inner_text() == "Embarquement de Association Alpha"

    drawing = page.get_by_role("img", name="Frise d'embarquement de Association Alpha", exact=False)
    assert drawing.is_visible()
    description = page.locator("#frise-description").text_content()
    assert "Étape 1, Vérification FINESS : Réalisée" in description
    assert "Étape 2, Contrat d'adhésion : À faire" in description
    assert drawing.get_attribute("aria-labelledby") == "frise-titre frise-description"
    assert page.get_by_role("link", name="Démarrer le contrat d'adhésion").first.is_visible()
    shot = tmp_path / f"accueil-{'js' if javascript else 'sans-js'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
