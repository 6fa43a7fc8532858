import pytest

from contracts import services
from contracts.models import CGU_VERSION, Contract
from tests.factories import complete_contract_data


def url(contract_id):
    return f"/api/v1/contracts/{contract_id}/"


@pytest.mark.rule("R-CON-4")
def test_the_legal_representative_saves_his_draft(api, alice, draft):
    response = api(alice).patch(url(draft.pk), {**complete_contract_data(), "cgu_accepted": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["representative_first_names"] == "Alice Marie" and body["capacity"] == "director"
    assert body["cgu_version"] == CGU_VERSION and body["missing_fields"] == {}
    assert body["available_acts"] == ["submit", "withdraw"]
    draft.refresh_from_db()
    assert draft.representative_last_name == "Martin" and draft.cgu_accepted_at


def test_a_partial_update_keeps_the_other_fields(api, alice, draft):
    api(alice).patch(url(draft.pk), complete_contract_data(), format="json")
    body = api(alice).patch(url(draft.pk), {"representative_phone": "0600000000"}, format="json").json()
    assert body["representative_phone"] == "0600000000" and body["representative_last_name"] == "Martin"


def test_withdrawing_the_cgu_acceptance_clears_it(api, alice, draft):
    api(alice).patch(url(draft.pk), {"cgu_accepted": True}, format="json")
    body = api(alice).patch(url(draft.pk), {"cgu_accepted": False}, format="json").json()
    assert body["cgu_accepted_at"] is None and "cgu_accepted" in body["missing_fields"]


@pytest.mark.parametrize("value", ["peut-être", None, {"yes": 1}])
def test_a_non_boolean_cgu_acceptance_is_a_400(api, alice, draft, value):
    response = api(alice).patch(url(draft.pk), {"cgu_accepted": value}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "cgu_accepted" in response.json()["details"]
    draft.refresh_from_db()
    assert draft.cgu_accepted_at is None


def test_invalid_values_are_a_400_field_by_field_and_nothing_is_saved(api, alice, draft):
    payload = {"representative_email": "pas-un-courriel", "capacity": "king", "representative_last_name": "X" * 101}
    response = api(alice).patch(url(draft.pk), payload, format="json")
    assert response.status_code == 400
    assert set(response.json()["details"]) == {"representative_email", "capacity", "representative_last_name"}
    draft.refresh_from_db()
    assert (draft.representative_email, draft.capacity, draft.representative_last_name) == ("", "", "")


def test_fields_set_by_acts_cannot_be_patched(api, alice, draft):
    response = api(alice).patch(url(draft.pk), {"state": "accepted", "submitted_at": "2024-01-01"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_field" and body["message"] == "Champs non modifiables : state, submitted_at."
    assert Contract.objects.get().state == "draft"


def test_malformed_json_is_a_400(api, alice, draft):
    response = api(alice).patch(url(draft.pk), "{capacity: director", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_request"


def test_a_submitted_contract_is_a_409_state_conflict(api, alice, submitted):
    response = api(alice).patch(url(submitted.pk), {"representative_last_name": "Autre"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"
    submitted.refresh_from_db()
    assert submitted.representative_last_name == "Martin"


def test_the_dossier_is_editable_again_when_the_agent_asks_for_completion(api, alice, ana, in_instruction):
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Précisez le téléphone.")
    response = api(alice).patch(url(in_instruction.pk), {"representative_phone": "0611111111"}, format="json")
    assert response.status_code == 200 and response.json()["representative_phone"] == "0611111111"


def test_the_mandataire_cannot_fill_the_contract(api, bob, draft):
    response = api(bob).patch(url(draft.pk), {"representative_last_name": "Durand"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_it_checks_ownership(api, charlie, draft):
    response = api(charlie).patch(url(draft.pk), {"representative_last_name": "Petit"}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    draft.refresh_from_db()
    assert draft.representative_last_name == ""


def test_without_a_token_the_answer_is_401(api, draft):
    assert api().patch(url(draft.pk), {"capacity": "director"}, format="json").status_code == 401
