import pytest

from contracts.models import AnomalyReport, CompetentAuthority
from esms_portal.models import Role, RoleGrant
from tests.factories import StructureFactory, UserFactory


def url(structure):
    return f"/api/v1/structures/{structure.pk}/anomalies/"


PAYLOAD = {"field": "address", "description": "Le site a déménagé."}


@pytest.mark.rule("R-FIN-2")
def test_a_member_reports_an_anomaly_routed_to_the_dd_ars(api, bob, alpha):
    site = alpha.sites_for_test[0]
    response = api(bob).post(url(site), PAYLOAD, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["structure"] == str(site.pk) and body["addressed_to"] == "ARS"
    assert body["message"] == (
        "Signalement enregistré et adressé à la délégation départementale de l'ARS (département 75)."
    )
    assert AnomalyReport.objects.get().reported_by == bob


@pytest.mark.rule("R-FIN-2")
def test_a_cd_record_is_routed_to_the_conseil_departemental(api, alice, alpha):
    site = StructureFactory(legal_entity=alpha, competent_authority=CompetentAuthority.CD)
    body = api(alice).post(url(site), PAYLOAD, format="json").json()
    assert body["addressed_to"] == "CD" and "au conseil départemental" in body["message"]


def test_it_checks_ownership(api, charlie, alpha):
    response = api(charlie).post(url(alpha), PAYLOAD, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not AnomalyReport.objects.exists()


def test_a_role_without_the_act_gets_403_forbidden_act(api, alpha):
    nurse = UserFactory(email="infirmiere@alpha.example")
    RoleGrant.objects.create(user=nurse, role=Role.PROFESSIONAL, organisation=alpha)
    response = api(nurse).post(url(alpha), PAYLOAD, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_an_unknown_field_is_a_400_with_details(api, alice, alpha):
    response = api(alice).post(url(alpha), {"field": "colour", "description": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "field" in body["details"]


def test_a_blank_description_is_refused(api, alice, alpha):
    response = api(alice).post(url(alpha), {"field": "phone", "description": "   "}, format="json")
    assert response.status_code == 400 and "description" in response.json()["details"]


def test_reading_the_reports_here_is_a_405(api, alice, alpha):
    assert api(alice).get(url(alpha)).status_code == 405


def test_without_a_token_the_answer_is_401(api, alpha):
    assert api().post(url(alpha), PAYLOAD, format="json").status_code == 401
