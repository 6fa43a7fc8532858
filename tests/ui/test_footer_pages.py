"""The DSFR footer's mandatory pages: legal notice, personal data, cookies, accessibility statement
and site map, with this portal's own content."""

import re

import pytest
from django.urls import reverse

FOOTER = {
    "Plan du site": "site-map",
    "Accessibilité : non conforme": "accessibility",
    "Mentions légales": "legal-notice",
    "Données personnelles": "personal-data",
    "Gestion des cookies": "cookies",
}
PLACEHOLDER = "À compléter par l'exploitant"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_page_links_the_mandatory_footer_pages(client):
    page = client.get(reverse("login")).content.decode()
    footer = page[page.index('class="fr-footer__bottom-list"'):]
    for label, name in FOOTER.items():
        assert f'href="{reverse(name)}">{label}</a>' in footer


@pytest.mark.parametrize("name", FOOTER.values())
def test_the_footer_pages_are_public_french_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_the_personal_data_page_says_what_is_kept_why_how_long_and_whom_to_write_to(client, settings):
    settings.PORTAL_RPPS_CODE_SECONDS = 15 * 60
    text = _text(client.get(reverse("personal-data")))
    for collected in ("date, commune et pays de naissance", "numéro RPPS", "identifiant national de la carte",
                      "Journal des actes", "Adresse IP", "empreinte"):
        assert collected in text
    assert "article 6.1.e" in text and "15 minutes au plus" in text and "Pendant la durée du contrat d'adhésion" in text
    assert "CNIL" in text
    assert f"{PLACEHOLDER} (PORTAL_PRIVACY_CONTACT)" in text  # unset: marked, never invented

    settings.PORTAL_PRIVACY_CONTACT = "dpo@esante.gouv.fr"
    settings.PORTAL_HOSTING = "Hébergeur certifié HDS, Paris"
    text = _text(client.get(reverse("personal-data")))
    assert "dpo@esante.gouv.fr" in text and "Hébergeur certifié HDS" in text and PLACEHOLDER not in text


def test_the_cookies_page_names_every_cookie_the_portal_sets(client, alice, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": alice.email, "password": "correct horse battery staple"},
                           follow=True)
    assert response.wsgi_request.user == alice
    set_cookies = set(client.cookies)
    assert {"sessionid", "csrftoken"} <= set_cookies
    text = _text(client.get(reverse("cookies")))
    for cookie in set_cookies | {"messages"}:
        assert cookie in text
    assert "8 heures au plus" in text and "exemptés de consentement" in text


def test_the_accessibility_statement_claims_no_conformity_it_did_not_audit(client, settings):
    settings.PORTAL_CONTACT = "portail-esms@esante.gouv.fr"
    text = _text(client.get(reverse("accessibility")))
    assert "non conforme" in text and "aucun audit" in text
    assert "partiellement conforme" not in text and "totalement conforme" not in text
    assert "établie le 3 décembre 2026" in text and "Défenseur des droits" in text
    assert "portail-esms@esante.gouv.fr" in text


def _internal_links(response) -> list[str]:
    content = response.content.decode()
    main = content[content.index('id="contenu"'):content.index('id="pied-de-page"')]
    return sorted(set(re.findall(r'href="(/[^"]*)"', main)))


@pytest.mark.parametrize("who", ["anonymous", "alice", "ana"])
def test_every_link_of_the_site_map_leads_somewhere_the_visitor_may_go(client, who, request, accepted, alice_card):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("site-map"))
    links = _internal_links(response)
    assert reverse("legal-notice") in links and reverse("rpps_plus:directory") in links
    assert (reverse("login") in links) == (who == "anonymous")
    for link in links:
        if link.startswith("/api/schema"):
            continue  # the API's own documentation (Swagger UI), outside the portal's pages
        assert client.get(link, follow=True).status_code == 200, link
