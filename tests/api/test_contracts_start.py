import pytest

from contracts.models import Contract
from tests.factories import StructureFactory

URL = "/api/v1/contracts/"


@pytest.mark.rule("R-CON-2")
def test_the_legal_representative_starts_the_contract_at_finess_juridique(api, alice, alpha):
    response = api(alice).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and body["state_label"] == "Brouillon"
    assert body["organisation"]["id"] == str(alpha.pk)
    assert body["contracting_structure"]["finess"] == alpha.finess
    assert Contract.objects.get().created_by == alice


@pytest.mark.rule("R-CON-2")
def test_a_multi_site_organisation_cannot_contract_at_a_site(api, alice, alpha):
    response = api(alice).post(URL, {"structure": str(alpha.sites_for_test[0].pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "contract_at_legal_entity_required"
    assert not Contract.objects.exists()


@pytest.mark.rule("R-CON-2")
def test_a_single_site_structure_may_contract_at_finess_geographique(api, charlie, beta):
    site = beta.sites_for_test[0]
    body = api(charlie).post(URL, {"structure": str(site.pk)}, format="json").json()
    assert body["contracting_structure"]["id"] == str(site.pk)
    assert body["organisation"]["id"] == str(beta.pk)


@pytest.mark.rule("R-CON-1")
def test_a_second_contract_is_refused_and_points_to_the_first(api, alice, alpha, draft):
    response = api(alice).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "contract_exists" and body["details"] == {"contract": str(draft.pk)}
    assert "déjà un contrat" in body["message"]
    assert Contract.objects.count() == 1


@pytest.mark.rule("R-FIN-2")
def test_a_closed_structure_cannot_contract(api, alice, alpha):
    alpha.is_open = False
    alpha.save()
    response = api(alice).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "structure_not_in_finess"


def test_another_organisations_structure_is_a_404(api, charlie, alpha):
    response = api(charlie).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Contract.objects.exists()


def test_the_mandataire_cannot_start_the_contract(api, bob, alpha):
    response = api(bob).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_an_ans_agent_cannot_start_a_contract(api, ana, alpha):
    response = api(ana).post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


@pytest.mark.parametrize("payload", [{}, {"structure": "pas-un-uuid"}, {"structure": None}, {"structure": []}])
def test_a_missing_or_malformed_structure_id_is_a_400(api, alice, alpha, payload):
    response = api(alice).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "structure" in body["details"]


def test_malformed_json_is_a_400(api, alice, alpha):
    response = api(alice).post(URL, '{"structure": ', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_request"


def test_a_json_array_is_a_400(api, alice, alpha):
    response = api(alice).post(URL, [str(alpha.pk)], format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_without_a_token_the_answer_is_401(api, alpha):
    response = api().post(URL, {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_structure_without_finess_cannot_contract(api, alice, alpha):
    editor = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074")
    response = api(alice).post(URL, {"structure": str(editor.pk)}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "structure_not_in_finess"
    assert not Contract.objects.exists()


@pytest.mark.rule("R-FIN-5", "R-FIN-3", "R-CON-1")
def test_a_structure_without_patients_known_by_its_siret_starts_its_contract(api, diane, gamma):
    response = api(diane).post(URL, {"structure": str(gamma.pk)}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"]["id"] == str(gamma.pk) and body["contracting_structure"]["finess"] is None


@pytest.mark.rule("R-FIN-5")
def test_a_care_giving_structure_without_finess_cannot_contract(api, diane, gamma):
    gamma.gives_care = True
    gamma.save(update_fields=["gives_care"])
    response = api(diane).post(URL, {"structure": str(gamma.pk)}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "structure_not_in_finess"
    assert not Contract.objects.exists()
