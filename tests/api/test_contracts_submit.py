import pytest

from contracts.models import ContractState
from tests.factories import complete_contract_data


def url(contract, act):
    return f"/api/v1/contracts/{contract.pk}/{act}/"


def fill(api, user, contract, **overrides):
    payload = {**complete_contract_data(**overrides), "cgu_accepted": True}
    assert api(user).patch(f"/api/v1/contracts/{contract.pk}/", payload, format="json").status_code == 200


@pytest.mark.rule("R-CON-4")
def test_an_incomplete_dossier_is_refused_field_by_field(api, alice, draft):
    response = api(alice).post(url(draft, "submit"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete" and body["message"] == "Le dossier est incomplet."
    assert {"cgu_accepted", "representative_last_name", "representative_email", "capacity"} <= set(body["details"])
    assert body["details"]["capacity"] == "Renseignez : qualité."
    draft.refresh_from_db()
    assert draft.state == ContractState.DRAFT


@pytest.mark.rule("R-CON-4")
def test_a_complete_dossier_is_submitted(api, alice, draft):
    fill(api, alice, draft)
    response = api(alice).post(url(draft, "submit"))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted" and body["submitted_at"] and body["is_editable"] is False
    assert [entry["act"] for entry in body["history"]] == ["create", "submit"]


@pytest.mark.rule("R-CON-7")
def test_a_director_claiming_the_card_must_name_him_and_prove_it(api, alice, draft):
    fill(api, alice, draft, capacity="president", card_arrangement="director_card")
    details = api(alice).post(url(draft, "submit")).json()["details"]
    assert {"director_last_name", "director_first_names", "director_email", "proof", "proof_kind"} == set(details)


def test_submitting_twice_is_a_409_state_conflict(api, alice, submitted):
    response = api(alice).post(url(submitted, "submit"))
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_the_mandataire_cannot_submit(api, bob, draft):
    response = api(bob).post(url(draft, "submit"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_the_legal_representative_withdraws_his_submitted_dossier(api, alice, submitted):
    response = api(alice).post(url(submitted, "withdraw"))
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


def test_a_dossier_in_instruction_cannot_be_withdrawn(api, alice, in_instruction):
    response = api(alice).post(url(in_instruction, "withdraw"))
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


@pytest.mark.parametrize("act", ["submit", "withdraw"])
def test_it_checks_ownership(api, charlie, alice, draft, act):
    fill(api, alice, draft)
    response = api(charlie).post(url(draft, act))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    draft.refresh_from_db()
    assert draft.state == ContractState.DRAFT


def test_without_a_token_the_answer_is_401(api, draft):
    assert api().post(url(draft, "submit")).status_code == 401


def test_reading_an_act_is_a_405(api, alice, draft):
    assert api(alice).get(url(draft, "submit")).status_code == 405
