import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_login_page_is_a_french_dsfr_page(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="fr"' in page
    assert 'class="fr-header"' in page and 'class="fr-footer"' in page
    assert "République<br>Française" in page and "Portail ESMS" in page


def test_the_page_has_skip_links_to_content_menu_and_footer(client):
    page = client.get(reverse("login")).content.decode()
    for anchor in ("contenu", "navigation-principale", "pied-de-page"):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page


def test_dsfr_assets_are_served_locally_without_a_cdn(client):
    page = client.get(reverse("login")).content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', page)
    assert any(asset.endswith("dsfr.min.css") for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets)
    assert finders.find("dsfr/dist/dsfr/dsfr.min.css")
    assert finders.find("dsfr/dist/dsfr/dsfr.module.min.js")


def test_favicon_ico_is_the_dsfr_favicon(client):
    """Browsers ask /favicon.ico where a document names no icon (the timeline's SVG opened in a tab)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url == "/static/dsfr/dist/favicon/favicon.ico"
    assert finders.find("dsfr/dist/favicon/favicon.ico")


def test_an_anonymous_visitor_sees_a_login_link_and_no_logout(client):
    page = client.get(reverse("login")).content.decode()
    assert "Se connecter" in page
    assert "Se déconnecter" not in page
    assert "Rechercher une structure" not in page  # the navigation needs an account


def test_a_member_sees_his_name_a_logout_button_and_no_back_office(client, alice, alpha):
    client.force_login(alice)
    page = client.get(reverse("structures:detail", args=[alpha.pk])).content.decode()
    assert "Alice Martin" in page
    assert re.search(r'<form method="post" action="/deconnexion/".*?Se déconnecter', page, re.S)
    assert "Mon organisation" in page and "Rechercher une structure" in page
    assert "Back-office" not in page


def test_an_ans_agent_sees_the_back_office_entry(client, ana):
    client.force_login(ana)
    page = client.get(reverse("structures:search")).content.decode()
    assert "Back-office" in page
    assert "Mon organisation" not in page


def test_the_current_page_is_marked_in_the_navigation(client, alice):
    client.force_login(alice)
    page = client.get(reverse("structures:search")).content.decode()
    assert re.search(r'href="/structures/recherche/"[^>]*\s+aria-current="page"', page)


def test_messages_are_shown_as_dsfr_alerts(client, alice, alpha):
    client.force_login(alice)
    url = reverse("structures:anomaly", args=[alpha.pk])
    page = client.post(url, {"field": "phone", "description": "Numéro périmé."}, follow=True).content.decode()
    assert 'class="fr-alert fr-alert--success' in page


@pytest.mark.parametrize("name", ["login", "accessibility"])
def test_public_pages_need_no_configuration_row(client, name):
    # django-dsfr's DsfrConfig table may stay empty: the layout does not read it.
    assert client.get(reverse(name)).status_code == 200


def test_an_unknown_page_answers_a_french_404(client, alice):
    client.force_login(alice)
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
