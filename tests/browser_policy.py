"""A chromium page that records every Content-Security-Policy violation (tests of the policy)."""

import pytest

from tests.conftest import CHROMIUM

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


def violations(page) -> list[str]:
    reported = page.evaluate("window.__violations")
    console = [line for line in page.console_lines if "Content Security Policy" in line]
    return reported + console
