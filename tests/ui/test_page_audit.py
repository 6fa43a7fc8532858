"""Every page a demo role reaches by following links is sound HTML for a French reader (the directory's
`<title>` once held a `<p><a>` link, shown raw in the tab): crawl the demo as each role and anonymously,
and check each HTML page answered 200 with the HTML5 parser.

Bounded for speed: at most MAX_PAGES pages per role, at most PER_ROUTE paths per URL pattern (a
structure's page is checked on three structures, not on all of them), and of one path at most PER_QUERY
query strings with the same parameters (the back-office queue shows each request type by ?type=&tab=,
so a path without its query string would leave the queues of every type unseen)."""

import re
from collections import Counter, deque
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import tinyhtml5
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from contracts.management.commands.load_demo import ACCOUNTS, NEW_ORGANISATION
from contracts.models import Contract, Structure
from esms_portal.models import User
from rpps_plus.demo import GESTIONNAIRE

NEW_REPRESENTATIVE = next(email for email, *_, grant in ACCOUNTS if grant and grant[1] == NEW_ORGANISATION)
AGENT = next(email for email, _, _, staff, _ in ACCOUNTS if staff)
MAX_PAGES = 150
PER_ROUTE = 3
PER_QUERY = 10
SEARCH_WORD = "les"  # EHPAD LES TILLEULS, LES ABYMES...
# The home page, and the searches that find the demo's professional and structures (their result
# pages link to the pages of each).
STARTS = ["/", "/rpps/annuaire/?name=Bernard", "/structures/recherche/?q=tilleuls"]
# Links not followed: they leave the session, answer a file or JSON, or belong to Django's own admin
# (its templates are Django's, not the portal's DSFR ones). The back-office export's page is followed;
# its form's ?format= starts the export.
SKIPPED = re.compile(
    r"deconnexion|logout|telecharg|download|/fichier/|\.(csv|pdf|json|xml|zip|pem|crt|der|p12)$"
    r"|^/(admin|api|static|media|webauthn)/|^/healthz"
)
FOLLOWED_STATUSES = {301, 302, 303, 307, 308}
INVISIBLE = {"script", "style", "template", "noscript", "title", "head"}
TEMPLATE_SYNTAX = re.compile(r"{{|{%|%}|}}")
PYTHON_REPRS = re.compile(r"\bNone\b|\[\]|{'|<QuerySet|object at 0x|\bTrue\b|\bFalse\b")
ENGLISH = re.compile(r"\b(None|True|False|Submit|Error|Cancel|Save|Delete|Search|Loading|Next|Previous)\b")
LABELLED = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


def roles() -> list[str | None]:
    return [None] + [email for email, *_ in ACCOUNTS] + [GESTIONNAIRE]


@pytest.fixture
def demo(db, pki):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    # The first step of the representative who starts from nothing, a POST: her draft contract's form
    # is then a page she reaches by links.
    client = Client()
    client.force_login(User.objects.get(email=NEW_REPRESENTATIVE))
    assert audit(client.get(reverse("contracts:home")).content.decode()) == []  # the choice of the signer
    start = client.post(reverse("contracts:home"), {"structure": Structure.objects.get(finess=NEW_ORGANISATION).pk})
    assert start.status_code == 302, start.content.decode()


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def internal_path(href: str, current: str) -> str | None:
    """The path and query of an internal link, or None for a link to another host, a fragment, mailto:..."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    if not parts.path and not parts.query:
        return None
    path = parts.path or current.split("?")[0]
    if not path.startswith("/"):
        path = current.split("?")[0].rsplit("/", 1)[0] + "/" + path
    if "format=" in parts.query or SKIPPED.search(path):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def visible_text(element, out: list[str]) -> None:
    if not isinstance(element.tag, str) or element.tag in INVISIBLE or "hidden" in element.attrib:
        if element.tail:
            out.append(element.tail)
        return
    if element.text:
        out.append(element.text)
    for child in element:
        visible_text(child, out)
    if element.tail:
        out.append(element.tail)


def audit(page: str) -> list[str]:
    """The defects of one HTML page, as French-reader-facing as the checks can tell."""
    return audit_document(tinyhtml5.parse(page, namespace_html_elements=False))


def search_urls(document, current: str) -> list[str]:
    """The URLs the page's GET forms (searches, filters) send, their first empty text field holding a
    word many demo names contain: the results and the filtered lists are pages too."""
    urls = []
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        fields = []
        for element in form.iter():
            name, kind = element.get("name"), (element.get("type") or "text").lower()
            if not name or element.get("disabled") is not None:
                continue
            if element.tag == "input" and kind in ("text", "search"):
                word = "" if any(value == SEARCH_WORD for _, value in fields) else SEARCH_WORD
                fields.append((name, element.get("value") or word))
            elif element.tag == "input" and kind in ("hidden", "checkbox", "radio"):
                if kind == "hidden" or element.get("checked") is not None:
                    fields.append((name, element.get("value") or "on"))
            elif element.tag == "select":
                options = list(element.iter("option"))
                chosen = [option for option in options if option.get("selected") is not None] or options[-1:]
                fields += [(name, option.get("value") or "") for option in chosen]
        url = internal_path(f"{form.get('action') or current.split('?')[0]}?{urlencode(fields)}", current)
        if url:
            urls.append(url)
    return urls


def audit_document(document) -> list[str]:
    defects = []
    elements = [element for element in document.iter() if isinstance(element.tag, str)]

    titles = [element for element in elements if element.tag == "title"]
    title = "".join(titles[0].itertext()).strip() if titles else ""
    if len(titles) != 1 or not title or re.search(r"<|{%|{{|\bNone\b", title):
        defects.append(f"title: {title!r} ({len(titles)} <title>)")

    h1s = [element for element in elements if element.tag == "h1"]
    if len(h1s) != 1:
        defects.append(f"{len(h1s)} <h1>: {[''.join(h1.itertext()).strip()[:60] for h1 in h1s]}")

    ids = Counter(element.get("id") for element in elements if element.get("id"))
    defects += [f"duplicate id {key!r} ×{count}" for key, count in ids.items() if count > 1]
    for element in elements:
        for attribute in ("aria-labelledby", "aria-describedby", "aria-controls", "for"):
            if attribute == "for" and element.tag != "label":
                continue
            for reference in (element.get(attribute) or "").split():
                if reference not in ids:
                    defects.append(f"<{element.tag} {attribute}={reference!r}>: no such id")

    labelled_for = {element.get("for") for element in elements if element.tag == "label"}
    wrapped = {id(control) for label in elements if label.tag == "label" for control in label.iter()}
    for element in elements:
        if element.tag == "img" and element.get("alt") is None:
            defects.append(f"<img src={element.get('src')!r}> without alt")
        if element.tag not in LABELLED or (element.get("type") or "text").lower() in UNLABELLED_INPUTS:
            continue
        if not (element.get("id") in labelled_for or id(element) in wrapped or element.get("aria-label")
                or element.get("aria-labelledby") or element.get("title")):
            defects.append(f"<{element.tag} name={element.get('name')!r}> without label")

    for element in elements:  # the words a screen reader or a tooltip shows
        kind = (element.get("type") or "").lower()
        shown = [element.get(name) for name in ("aria-label", "title", "placeholder", "alt")]
        shown += [element.get("value")] if element.tag == "input" and kind in ("submit", "button", "reset") else []
        for match in (ENGLISH.search(text) for text in shown if text):
            if match:
                defects.append(f"English word {match.group(0)!r} in <{element.tag}> « {match.string} »")

    body = document.find("body")
    text: list[str] = []
    visible_text(body, text)
    visible = re.sub(r"\s+", " ", " ".join(text))
    for pattern, what in ((TEMPLATE_SYNTAX, "template syntax"), (PYTHON_REPRS, "Python repr"),
                          (ENGLISH, "English word")):
        for match in pattern.finditer(visible):
            context = visible[max(0, match.start() - 40):match.end() + 40]
            defects.append(f"{what} {match.group(0)!r} in « {context} »")
    return defects


def crawl(client: Client) -> tuple[dict[str, list[str]], int]:
    """{path: defects} of the pages reached from the home page, and the number of pages checked."""
    defects: dict[str, list[str]] = {}
    per_route: Counter = Counter()
    per_query: Counter = Counter()
    budgeted: dict[str, bool] = {}  # path without query: within its route's budget
    seen: set[str] = set()
    queue = deque((start, "(départ)") for start in STARTS)
    checked = 0
    while queue and checked < MAX_PAGES:
        path, origin = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        bare, _, query = path.partition("?")
        if bare not in budgeted:
            budgeted[bare] = (route := route_of(bare)) is None or per_route[route] < PER_ROUTE
            per_route[route] += 1
        if not budgeted[bare]:
            continue
        if query:
            per_query[bare, tuple(sorted(parse_qs(query)))] += 1
            if per_query[bare, tuple(sorted(parse_qs(query)))] > PER_QUERY:
                continue
        response = client.get(path)
        checked += 1
        if response.status_code in FOLLOWED_STATUSES:
            target = internal_path(response["Location"], path)
            if target:
                queue.append((target, path))
            continue
        if response.status_code >= 400:
            defects[path] = [f"answers {response.status_code} (linked from {origin})"]
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        document = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)
        found = audit_document(document)
        if found:
            defects[path] = found
        links = [internal_path(link.get("href"), path) for link in document.iter("a") if link.get("href")]
        for target in links + search_urls(document, path):
            if target and target not in seen:
                queue.append((target, path))
    return defects, checked


def test_every_page_every_demo_role_reaches_is_sound(demo):
    found = {}
    counts = {}
    for email in roles():
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        defects, counts[email or "anonyme"] = crawl(client)
        found.update({f"{email or 'anonyme'} {path}": items for path, items in defects.items()})
    assert all(count > 3 for count in counts.values()), counts
    assert not found, "\n".join(f"{key}: {item}" for key, items in sorted(found.items()) for item in items)


def test_a_form_answered_with_its_errors_is_sound(demo):
    """The pages a GET never shows: a form sent empty (every field, as a browser sends it), its errors
    linked to their fields."""
    contract = Contract.objects.get(organisation__finess=NEW_ORGANISATION)
    structure = Structure.objects.get(finess=NEW_ORGANISATION)
    forms = [
        (NEW_REPRESENTATIVE, reverse("contracts:edit", args=[contract.pk]), {"submit": ""}, 200),
        (NEW_REPRESENTATIVE, reverse("structures:anomaly", args=[structure.pk]), {"field": "", "description": ""},
         200),
        (NEW_REPRESENTATIVE, reverse("webhooks:list", args=[structure.pk]), {"url": "", "description": ""}, 400),
        (AGENT, reverse("backoffice:labels"), {"name": "", "colour": ""}, 400),
    ]
    for email, url, data, status in forms:
        client = Client()
        client.force_login(User.objects.get(email=email))
        response = client.post(url, data)
        assert response.status_code == status, url
        page = response.content.decode()
        assert "fr-message--error" in page or "fr-alert--error" in page, url
        assert audit(page) == [], url


@pytest.mark.parametrize("page, defect", [
    ("<title><p><a href='/x'>Annuaire</a></p></title><h1>A</h1>", "title"),
    ("<title>T</title><h1>A</h1><h1>B</h1>", "2 <h1>"),
    ("<title>T</title><h1>A</h1><p id='a'></p><p id='a'></p>", "duplicate id"),
    ("<title>T</title><h1>A</h1><p aria-describedby='nope'></p>", "no such id"),
    ("<title>T</title><h1>A</h1><img src='/a.png'>", "without alt"),
    ("<title>T</title><h1>A</h1><input name='q'>", "without label"),
    ("<title>T</title><h1>A</h1><p>{{ structure.name }}</p>", "template syntax"),
    ("<title>T</title><h1>A</h1><p>Téléphone : None</p>", "Python repr"),
    ("<title>T</title><h1>A</h1><button>Submit</button>", "English word"),
    ("<title>T</title><h1>A</h1><input type='search' aria-label='Rechercher'><input type='submit' value='Search'>",
     "English word"),
])
def test_the_audit_sees_each_kind_of_defect(page, defect):
    assert any(defect in found for found in audit(page))


def test_the_audit_passes_a_sound_page():
    page = ("<title>Accueil — Portail ESMS</title><h1>Accueil</h1><label for='q'>Nom</label><input id='q'>"
            "<label>FINESS <input name='f'></label><img src='/a.png' alt=''><input type='hidden' name='t'>")
    assert audit(page) == []
