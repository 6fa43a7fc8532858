import pytest
from django.urls import reverse

from contracts.models import AnomalyReport, CompetentAuthority
from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory


def form_url(structure):
    return reverse("structures:anomaly", args=[structure.pk])


@pytest.mark.rule("R-FIN-2")
def test_the_form_lists_the_finess_data_and_says_who_will_receive_it(client, alice, alpha):
    client.force_login(alice)
    page = client.get(form_url(alpha)).content.decode()
    assert "<h1>Signaler une anomalie FINESS</h1>" in page
    assert "Adresse" in page and "Raison sociale" in page
    assert "adressé <strong>à la délégation départementale de l&#x27;ARS (département 75)</strong>" in page


@pytest.mark.rule("R-FIN-2")
def test_a_report_is_recorded_and_the_user_told_where_it_went(client, bob, alpha):
    site = alpha.sites_for_test[0]
    client.force_login(bob)
    response = client.post(form_url(site), {"field": "address", "description": "Le site a déménagé."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("structures:detail", args=[site.pk])
    assert (
        "Votre signalement a été enregistré et adressé à la délégation départementale "
        "de l&#x27;ARS (département 75)." in response.content.decode()
    )
    report = AnomalyReport.objects.get()
    assert (report.structure, report.reported_by, report.addressed_to) == (
        site,
        bob,
        CompetentAuthority.ARS,
    )


@pytest.mark.rule("R-FIN-2")
def test_a_report_on_a_cd_record_is_addressed_to_the_conseil_departemental(client, alice, alpha):
    alpha.competent_authority = CompetentAuthority.CD
    alpha.save()
    client.force_login(alice)
    response = client.post(form_url(alpha), {"field": "phone", "description": "Numéro périmé."}, follow=True)
    assert "adressé au conseil départemental (département 75)." in response.content.decode()
    assert AnomalyReport.objects.get().addressed_to == CompetentAuthority.CD


def test_an_empty_form_is_refused_with_french_messages(client, alice, alpha):
    client.force_login(alice)
    page = client.post(form_url(alpha), {"field": "", "description": "  "}).content.decode()
    assert "Choisissez la donnée FINESS concernée." in page
    assert "Décrivez l&#x27;anomalie constatée." in page
    assert not AnomalyReport.objects.exists()


def test_past_reports_are_listed_on_the_structure_page(client, alice, alpha):
    client.force_login(alice)
    client.post(form_url(alpha), {"field": "siret", "description": "SIRET manquant."})
    page = client.get(reverse("structures:detail", args=[alpha.pk])).content.decode()
    assert "Derniers signalements" in page and "SIRET" in page and "Alice Martin" in page


def test_a_professional_may_not_report(client, alpha):
    nurse = UserFactory(email="infirmiere@alpha.example")
    RoleGrant.objects.create(user=nurse, role=Role.PROFESSIONAL, organisation=alpha)
    client.force_login(nurse)
    assert client.get(form_url(alpha)).status_code == 403
    assert client.post(form_url(alpha), {"field": "phone", "description": "x"}).status_code == 403
    assert not AnomalyReport.objects.exists()


def test_it_checks_ownership(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(form_url(alpha)).status_code == 404
    assert client.post(form_url(alpha), {"field": "phone", "description": "x"}).status_code == 404
    assert not AnomalyReport.objects.exists()
