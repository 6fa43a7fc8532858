import pytest

from contracts import services
from contracts.models import ContractState
from esms_portal.dialogue.selectors import messages_of


def url(contract, act):
    return f"/api/v1/contracts/{contract.pk}/{act}/"


def state_of(contract):
    contract.refresh_from_db()
    return contract.state


def test_an_agent_takes_the_dossier(api, ana, submitted):
    response = api(ana).post(url(submitted, "start-instruction"))
    assert response.status_code == 200 and response.json()["state"] == "in_instruction"
    assert submitted.audit_trail().last().actor == ana


def test_the_organisation_cannot_instruct_its_own_contract(api, alice, submitted):
    response = api(alice).post(url(submitted, "start-instruction"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"
    assert state_of(submitted) == ContractState.SUBMITTED


def test_accepting_a_dossier_not_in_instruction_is_a_409(api, ana, submitted):
    response = api(ana).post(url(submitted, "accept"))
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


@pytest.mark.rule("R-CON-5")
def test_asking_for_completion_needs_a_message_and_pauses_the_clock(api, ana, in_instruction):
    response = api(ana).post(url(in_instruction, "ask-completion"), {"message": "  "}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    response = api(ana).post(url(in_instruction, "ask-completion"), {"message": "Joignez le RIB."}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "completion_requested" and response.json()["is_editable"] is True
    in_instruction.refresh_from_db()
    assert in_instruction.paused_at is not None
    assert messages_of(in_instruction).get().body == "Joignez le RIB."


def test_the_organisation_completes_with_an_optional_message(api, alice, ana, in_instruction):
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Précisez.")
    response = api(alice).post(url(in_instruction, "complete"))
    assert response.status_code == 200 and response.json()["state"] == "in_instruction"
    assert messages_of(in_instruction).count() == 1


@pytest.mark.rule("R-CON-4")
def test_completing_an_incomplete_dossier_says_field_by_field_what_is_missing(api, alice, ana, in_instruction):
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Courriel ?")
    services.contract_update(actor=alice, contract_pk=in_instruction.pk, data={"representative_email": ""})
    response = api(alice).post(url(in_instruction, "complete"), {"message": "Voilà"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "incomplete" and set(body["details"]) == {"representative_email"}
    assert state_of(in_instruction) == ContractState.COMPLETION_REQUESTED
    assert messages_of(in_instruction).count() == 1


@pytest.mark.rule("R-CON-3")
def test_an_agent_accepts_the_contract(api, ana, in_instruction):
    body = api(ana).post(url(in_instruction, "accept")).json()
    assert body["state"] == "accepted" and body["decided_at"] and body["available_acts"] == ["terminate"]


def test_a_refusal_needs_a_reason(api, ana, in_instruction):
    response = api(ana).post(url(in_instruction, "reject"), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "reason_required", "message": "Un motif est obligatoire pour cet acte."}
    response = api(ana).post(url(in_instruction, "reject"), {"reason": "Signataire non habilité"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    assert response.json()["history"][-1]["reason"] == "Signataire non habilité"


@pytest.mark.rule("R-CON-3")
def test_terminating_an_accepted_contract_needs_a_reason(api, ana, in_instruction):
    services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    assert api(ana).post(url(in_instruction, "terminate"), {"reason": ""}, format="json").status_code == 400
    body = api(ana).post(url(in_instruction, "terminate"), {"reason": "Cessation"}, format="json").json()
    assert body["state"] == "terminated" and body["terminated_at"]


def test_a_reason_of_the_wrong_type_is_a_400(api, ana, in_instruction):
    response = api(ana).post(url(in_instruction, "reject"), {"reason": {"text": "non"}}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["details"]
    response = api(ana).post(url(in_instruction, "reject"), ["non"], format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert state_of(in_instruction) == ContractState.IN_INSTRUCTION


def test_the_organisation_cannot_decide(api, alice, in_instruction):
    response = api(alice).post(url(in_instruction, "accept"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


@pytest.mark.parametrize(
    ("act", "payload"),
    [
        ("start-instruction", {}),
        ("ask-completion", {"message": "x"}),
        ("complete", {}),
        ("accept", {}),
        ("reject", {"reason": "x"}),
        ("terminate", {"reason": "x"}),
    ],
)
def test_it_checks_ownership(api, charlie, in_instruction, act, payload):
    response = api(charlie).post(url(in_instruction, act), payload, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert state_of(in_instruction) == ContractState.IN_INSTRUCTION


def test_without_a_token_the_answer_is_401(api, in_instruction):
    assert api().post(url(in_instruction, "accept")).status_code == 401
