import html
import re

import pytest
from django.urls import reverse

from tests.factories import StructureFactory

URL = reverse("structures:search")


def search(client, q):
    return client.get(URL, {"q": q}).content.decode()


def test_the_search_page_shows_an_empty_form(client, alice):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Numéro FINESS, SIRET ou nom de la structure" in page
    assert "résultat" not in page


def test_a_member_finds_a_site_of_his_organisation_by_name(client, alice, alpha):
    client.force_login(alice)
    page = search(client, "tilleuls")
    assert "1 résultat" in page and "EHPAD Les Tilleuls" in page


@pytest.mark.rule("R-FIN-1")
def test_a_member_finds_a_structure_by_its_finess_number(client, alice, alpha):
    site = alpha.sites_for_test[1]
    client.force_login(alice)
    page = search(client, f" {site.finess[:3]} {site.finess[3:]} ")
    assert "1 résultat" in page and site.name in page


@pytest.mark.rule("R-FIN-1")
def test_a_finess_with_a_wrong_check_key_is_refused_in_french(client, alice, alpha):
    client.force_login(alice)
    wrong = alpha.finess[:8] + str((int(alpha.finess[8]) + 1) % 10)
    page = search(client, wrong)
    assert f"Le numéro FINESS {wrong} est invalide" in page
    assert "clé de contrôle" in page
    assert 'aria-invalid="true"' in page
    assert "résultat" not in page


@pytest.mark.rule("R-FIN-3")
def test_a_structure_identified_by_siret_is_found_by_its_siret(client, alice, alpha):
    StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074", name="Éditeur Alpha")
    client.force_login(alice)
    page = search(client, "732 829 320 00074")
    assert "1 résultat" in page and "Éditeur Alpha" in page and "SIRET 73282932000074" in page


@pytest.mark.rule("R-FIN-3")
def test_a_siret_with_a_wrong_key_is_refused(client, alice):
    client.force_login(alice)
    assert "Le numéro SIRET 73282932000075 est invalide" in search(client, "73282932000075")


def test_the_beginning_of_a_number_finds_the_numbers_that_start_with_it(client, alice, alpha):
    client.force_login(alice)
    assert "3 résultats" in search(client, "0B")


def test_a_member_does_not_find_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert "0 résultat" in search(client, "alpha")
    assert "0 résultat" in search(client, alpha.finess)


def test_an_ans_agent_searches_every_organisation(client, ana, alpha, beta):
    client.force_login(ana)
    page = search(client, "a")  # too short
    assert "Saisissez au moins 2 caractères." in page
    page = search(client, "be")
    assert "Fondation Beta" in page and "IME Beta" in page
    assert "2 résultats" in page


def test_results_are_paginated(client, ana, alpha):
    StructureFactory.create_batch(25, legal_entity=alpha, name="Foyer")
    client.force_login(ana)
    page = search(client, "foyer")
    assert "25 résultats" in page and "q=foyer&amp;cursor=" in page and "page=" not in page
    query = html.unescape(re.search(r'href="\?([^"]*)">Suivant</a>', page).group(1))
    second = client.get(f"{URL}?{query}").content.decode()
    assert "25 résultats" in second and ">Précédent</a>" in second and ">Suivant</a>" not in second


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    assert client.get(URL).url.startswith(reverse("login"))
