"""The portal in Debian's chromium, as each demo role and an anonymous visitor go through it: the home
page, every menu entry and a few links of each. No page throws a JavaScript error, logs an error in the
console, has a script or style refused by the Content-Security-Policy, or makes a request (static file,
htmx fragment, fetch) that fails or answers an error. Django's test client sees none of these."""

import io
import re
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from contracts.management.commands.load_demo import ACCOUNTS
from esms_portal.models import User
from rpps_plus.demo import GESTIONNAIRE
from tests import browser_policy

page = browser_policy.page  # the fixture
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINKS_PER_PAGE = 5
SETTLE_MS = 300  # after the load: the page's own requests (hx-trigger="load", scripts' fetches) fire
# Links not followed: leaving the session, files to download, exports.
# The OpenAPI schema (/api/schema/) is a file too: the browser downloads it. An SVG opens in the tab: followed.
SKIPPED = re.compile(r"/deconnexion/|/export|/telecharger/|/fichier/|/pdf/|/pieces/|/justificatif/"
                     r"|/pkcs12/|/api/schema/$|\.(csv|ics|zip|txt|json|pem|der|crt|crl|p12|p7b|ods|pdf)$")
# Every element htmx would ask again later (hx-trigger="every 2s", "every 60s"...): asked at once, as htmx
# itself does, so that a fragment answering an error or breaking the page shows within the crawl.
ASK_HTMX_FRAGMENTS = """async () => {
  const elements = [...document.querySelectorAll("[hx-get]")];
  if (!elements.length) return null;
  if (!window.htmx) return "htmx absent de la page, ses fragments ne se rafraîchissent pas";
  await Promise.allSettled(elements.map(element => htmx.ajax("GET", element.getAttribute("hx-get"),
      {source: element, target: element, swap: element.getAttribute("hx-swap") || "innerHTML"})));
  return null;
}"""
# The card login page asks the card agent on the visitor's own computer, absent here: outside the portal,
# as the page itself tells the visitor when it finds none.
CARD_AGENT = settings.PORTAL_CARD_AGENT_URL
ID = re.compile(r"/([0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+|[A-Z0-9]{4}(-[A-Z0-9]{4})+)(?=/|$)")
LINKS = """(anchors) => anchors.filter(a => !a.hasAttribute("download") && !a.hasAttribute("hx-post")
    && a.target !== "_blank").map(a => a.href)"""


@pytest.fixture
def demo(transactional_db, pki):
    call_command("load_demo", stdout=io.StringIO())
    return [email for email, *_ in ACCOUNTS] + [GESTIONNAIRE]


class Crawl:
    """The problems met on each page, with the page they were met on."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.current, self.console_from = page, base_url, None, 0
        self.problems: list[str] = []
        self.visited = Counter()  # pages per visitor
        page.on("pageerror", lambda error: self.problem(f"erreur JavaScript : {error}"))
        page.on("console", self.console)
        page.on("response", lambda response: response.status >= 400 and self.problem(
            f"{response.status} sur {response.request.method} {self.path(response.url)}"))
        page.on("requestfailed", self.failed)

    def console(self, message):
        # The policy's refusals are reported by settle(), each once.
        if message.type != "error" or "Content Security Policy" in message.text:
            return
        if not message.location.get("url", "").startswith(CARD_AGENT):
            self.problem(f"console : {message.text}")

    def failed(self, request):
        if request.url.startswith(CARD_AGENT):
            return
        # A fragment or fetch still under way when the crawl moves on is cut short by the browser.
        if request.failure == "net::ERR_ABORTED" and not request.is_navigation_request():
            return
        self.problem(f"échec de {request.method} {self.path(request.url)} : {request.failure}")

    def problem(self, text):
        self.problems.append(f"{self.current}: {text}")

    def path(self, url):
        return url.removeprefix(self.base_url)

    def internal(self, url):
        url = url.split("#")[0]
        parts = urlsplit(url)
        if not url.startswith(self.base_url + "/") or SKIPPED.search(parts.path) or "format=" in parts.query:
            return None
        return url

    def visit(self, who, url) -> bool:
        self.current = f"{who} {self.path(url)}"
        self.visited[who] += 1
        self.console_from = len(self.page.console_lines)
        try:
            self.page.goto(url)
        except Exception as error:  # Playwright's: a page that does not load is one more problem
            self.problem(f"chargement : {error}")
            return False
        self.settle()
        return True

    def settle(self):
        """The page's own requests made, its live fragments asked; what the policy refused."""
        self.page.wait_for_timeout(SETTLE_MS)
        missing_htmx = self.page.evaluate(ASK_HTMX_FRAGMENTS)
        if missing_htmx:
            self.problem(missing_htmx)
        self.page.wait_for_timeout(50)
        refused = self.page.evaluate("window.__violations || []") + [
            line for line in self.page.console_lines[self.console_from:] if "Content Security Policy" in line]
        for violation in refused:
            self.problem(f"CSP : {violation}")

    def links(self, selector):
        found = [self.internal(url) for url in self.page.eval_on_selector_all(selector, LINKS)]
        return list(dict.fromkeys(url for url in found if url))

    def crawl(self, who):
        """The home, then every menu entry; on each, the first links to pages not yet seen."""
        home = self.base_url + "/"
        if not self.visit(who, home):
            return
        seen = {shape(home), shape(self.page.url)}  # the home may send to the role's own first page
        menu = self.links("nav#navigation-principale a.fr-nav__link")
        self.follow(who, seen, "main a[href]" if menu else "main a[href], footer a[href]")
        for entry in menu:
            if shape(entry) in seen or not self.visit(who, entry):
                continue
            seen |= {shape(entry), shape(self.page.url)}
            self.follow(who, seen, "main a[href]")

    def follow(self, who, seen, selector):
        kinds = {}  # the first link to each kind of page
        for link in self.links(selector):
            kinds.setdefault(shape(link), link)
        for kind, link in [(kind, link) for kind, link in kinds.items() if kind not in seen][:LINKS_PER_PAGE]:
            seen.add(kind)
            self.visit(who, link)


def shape(url: str) -> str:
    """The kind of page a URL leads to: its path, ids left out (the queue's tabs, two cards: one page)."""
    return ID.sub("/{id}", urlsplit(url).path)


def log_in(page, base_url, email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[
        settings.SESSION_COOKIE_NAME].value, "url": base_url}])


def test_no_page_of_the_demo_breaks_in_a_browser(live_server, page, demo):
    start = time.monotonic()
    crawl = Crawl(page, live_server.url)
    crawl.crawl("anonyme")
    for email in demo:
        log_in(page, live_server.url, email)
        crawl.crawl(email)
    print(f"\n{crawl.visited.total()} pages en {time.monotonic() - start:.0f} s")
    assert set(crawl.visited) == {"anonyme", *demo} and min(crawl.visited.values()) >= 5, crawl.visited
    assert not crawl.problems, "\n".join(crawl.problems)


def test_the_crawl_sees_what_breaks_a_page(live_server, page):
    """The check itself: an uncaught exception, a missing script, a refused inline script, a live
    fragment answering 404 are each reported with their page."""
    crawl = Crawl(page, live_server.url)
    assert crawl.visit("anonyme", f"{live_server.url}/connexion/")
    assert crawl.problems == []
    page.evaluate("""() => {
      setTimeout(() => { throw new Error("panne"); });
      const missing = document.createElement("script"); missing.src = "/static/js/absent.js";
      const inline = document.createElement("script"); inline.textContent = "window.__ran = 1";
      const live = document.createElement("div"); live.setAttribute("hx-get", "/fragment-absent/");
      document.body.append(missing, inline, live);
    }""")
    crawl.settle()
    found = "\n".join(crawl.problems)
    assert "anonyme /connexion/: erreur JavaScript : panne" in found
    assert "404 sur GET /static/js/absent.js" in found
    assert "CSP : script-src-elem inline" in found
    assert "404 sur GET /fragment-absent/" in found
