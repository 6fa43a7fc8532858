"""Instructing the F413 over the API: each act, its rights and its codes (R-CER-2, R-CER-4)."""

import pytest

from certificates import selectors
from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted = cast.f413, cast.f413_accepted


def act(client, form, name, **body):
    return client.post(f"/api/v1/certificates/f413/{form.pk}/{name}/", body, format="json")


def test_the_agent_takes_then_accepts_and_the_designee_becomes_administrator(api, f413, ana, dave, alpha):
    taken = act(api(ana), f413, "start-instruction")
    assert taken.status_code == 200 and taken.json()["state"] == "in_instruction"
    assert taken.json()["agent"] == str(ana) and set(taken.json()["available_acts"]) == {
        "ask_completion", "accept", "reject"}
    accepted = act(api(ana), f413, "accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert selectors.is_technical_admin(dave, alpha.pk)


def test_completion_asked_then_given(api, f413, ana, alice):
    act(api(ana), f413, "start-instruction")
    assert act(api(ana), f413, "ask-completion").json()["code"] == "reason_required"
    asked = act(api(ana), f413, "ask-completion", reason="Précisez le logiciel")
    assert asked.json()["state"] == "completion_requested" and asked.json()["decision_reason"] == "Précisez le logiciel"
    completed = act(api(alice), f413, "complete", reason="C'est le DUI Alpha")
    assert completed.status_code == 200 and completed.json()["state"] == "in_instruction"


def test_rejection_needs_a_reason(api, f413, ana):
    act(api(ana), f413, "start-instruction")
    assert act(api(ana), f413, "reject").status_code == 400
    rejected = act(api(ana), f413, "reject", reason="Pièce manquante")
    assert rejected.json()["state"] == "rejected" and rejected.json()["decision_reason"] == "Pièce manquante"


def test_the_filer_withdraws(api, f413, alice):
    response = act(api(alice), f413, "withdraw")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"


@pytest.mark.rule("R-CER-2")
def test_acceptance_checks_the_designees_card_again(api, f413, ana, dave):
    from cards.models import Card

    act(api(ana), f413, "start-instruction")
    Card.objects.filter(holder=dave).update(state="opposed")
    response = act(api(ana), f413, "accept")
    assert response.status_code == 409 and response.json()["code"] == "prerequisite_missing"
    assert response.json()["details"]["unmet"]


def test_the_organisation_may_not_instruct(api, f413, alice):
    response = act(api(alice), f413, "start-instruction")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_acting_in_the_wrong_state_is_a_409(api, f413_accepted, ana):
    response = act(api(ana), f413_accepted, "reject", reason="Trop tard")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_an_outsider_gets_404(api, f413, charlie):
    assert act(api(charlie), f413, "withdraw").status_code == 404
