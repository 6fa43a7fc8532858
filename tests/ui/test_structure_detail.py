import pytest
from django.urls import reverse

from contracts.models import CompetentAuthority
from esms_portal.models import Role, RoleGrant
from tests.factories import StructureFactory, UserFactory


def detail(structure):
    return reverse("structures:detail", args=[structure.pk])


def test_the_ej_page_shows_its_identity_and_lists_its_sites(client, alice, alpha):
    client.force_login(alice)
    page = client.get(detail(alpha)).content.decode()
    assert "Association Alpha" in page and alpha.finess in page
    assert "FINESS juridique" in page and "Entité juridique" in page
    assert "Etablissement d&#x27;hébergement pour personnes âgées dépendantes (500)" in page
    assert "Établissements (2)" in page
    for site in alpha.sites_for_test:
        assert site.finess in page and detail(site) in page


def test_an_eg_page_shows_its_legal_entity(client, alice, alpha):
    site = alpha.sites_for_test[0]
    client.force_login(alice)
    page = client.get(detail(site)).content.decode()
    assert "FINESS géographique" in page and site.finess in page
    assert f'href="{detail(alpha)}"' in page and "Association Alpha" in page
    assert "Établissements (" not in page


def test_the_page_links_to_the_public_finess_record(client, alice, alpha):
    client.force_login(alice)
    page = client.get(detail(alpha)).content.decode()
    assert f"actionDetailEtablissement.do?noFiness={alpha.finess}" in page


def test_the_page_names_the_authority_that_corrects_the_record(client, alice, alpha):
    alpha.competent_authority = CompetentAuthority.CD
    alpha.save()
    client.force_login(alice)
    page = client.get(detail(alpha)).content.decode()
    assert "adressé au conseil départemental (département 75)" in page


@pytest.mark.rule("R-FIN-3")
def test_a_structure_identified_by_siret_is_shown_with_its_siret(client, alice, alpha):
    editor = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074", gives_care=False)
    client.force_login(alice)
    page = client.get(detail(editor)).content.decode()
    assert "73282932000074" in page and "Identifiée par SIRET" in page
    assert "Non inscrite au FINESS" in page
    assert "SIRET 73282932000074" in client.get(detail(alpha)).content.decode()


def test_a_member_may_report_an_anomaly_from_the_page(client, bob, alpha):
    client.force_login(bob)
    page = client.get(detail(alpha)).content.decode()
    assert reverse("structures:anomaly", args=[alpha.pk]) in page


def test_a_professional_sees_the_page_but_not_the_report_button(client, alpha):
    nurse = UserFactory(email="infirmiere@alpha.example")
    RoleGrant.objects.create(user=nurse, role=Role.PROFESSIONAL, organisation=alpha)
    client.force_login(nurse)
    page = client.get(detail(alpha)).content.decode()
    assert "Association Alpha" in page
    assert "Signaler une anomalie FINESS" not in page


def test_an_ans_agent_sees_any_organisation(client, ana, beta):
    client.force_login(ana)
    assert client.get(detail(beta)).status_code == 200


def test_it_checks_ownership(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(detail(alpha)).status_code == 404
    assert client.get(detail(alpha.sites_for_test[0])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login(client, alpha):
    assert client.get(detail(alpha)).url.startswith(reverse("login"))


def test_the_ej_page_costs_the_same_queries_whatever_its_number_of_sites(
    client, alice, alpha, settings, django_assert_num_queries
):
    client.force_login(alice)
    client.get(detail(alpha))  # warm up: first request of the session
    # permissions.roles_on: one query, not a prefetch; the header's notification counts: one; the
    # session: none when read from Redis (cached_db)
    expected = 7 + (0 if settings.SESSION_ENGINE.endswith("cached_db") else 1)
    with django_assert_num_queries(expected):
        client.get(detail(alpha))
    StructureFactory.create_batch(10, legal_entity=alpha)
    with django_assert_num_queries(expected):
        response = client.get(detail(alpha))
    assert "Établissements (12)" in response.content.decode()
