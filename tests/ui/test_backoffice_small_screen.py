"""The agents' queue on a 375 px wide screen (a phone), in Debian's chromium: every tab label can
be read whole, none is clipped or pushed off the screen."""

import pytest

from tests.onboarding.test_browser_home import _log_in, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each tab: the label's own width against the width it is given, and its box on the screen.
MEASURE = """links => links.map(a => {
    const box = a.getBoundingClientRect();
    return {text: a.innerText, scroll: a.scrollWidth, client: a.clientWidth, left: box.left, right: box.right,
            visible: box.width > 0 && box.height > 0};
})"""


def test_the_queue_tabs_are_readable_at_375_px(live_server, browser, ana, submitted, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.set_default_timeout(15000)
    _log_in(page, live_server.url, ana.email)
    page.wait_for_url("**/back-office/")
    tabs = page.locator("nav[aria-label='Types de demande'] a").evaluate_all(MEASURE)
    assert len(tabs) >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    for tab in tabs:
        assert tab["visible"], tab
        assert tab["scroll"] <= tab["client"] + 1, f"label clipped: {tab}"
        assert 0 <= tab["left"] and tab["right"] <= 375, f"off screen: {tab}"
    page.screenshot(path=str(tmp_path / "file-375.png"), full_page=True)
