from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts import services
from contracts.models import CGU_VERSION


def url(contract_id):
    return f"/api/v1/contracts/{contract_id}/"


def test_the_legal_representative_reads_his_draft(api, alice, alpha, draft):
    response = api(alice).get(url(draft.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["state_label"]) == (draft.pk, "draft", "Brouillon")
    assert body["organisation"] == {
        "id": str(alpha.pk),
        "kind": "EJ",
        "finess": alpha.finess,
        "siret": "",
        "name": "Association Alpha",
    }
    assert body["is_editable"] is True and body["has_proof"] is False
    assert body["submitted_at"] is None and body["instruction_days"] is None and body["timeliness"] is None
    assert body["available_acts"] == ["withdraw"]
    assert [entry["act"] for entry in body["history"]] == ["create"]


@pytest.mark.rule("R-CON-4")
def test_the_detail_says_field_by_field_what_is_missing(api, alice, draft):
    missing = api(alice).get(url(draft.pk)).json()["missing_fields"]
    assert {"cgu_accepted", "representative_last_name", "representative_email", "capacity"} <= set(missing)
    assert missing["cgu_accepted"] == "Acceptez les conditions générales d'utilisation."


def test_a_submitted_contract_shows_the_representative_and_the_cgu(api, alice, submitted):
    body = api(alice).get(url(submitted.pk)).json()
    assert body["representative_last_name"] == "Martin" and body["capacity"] == "director"
    assert body["cgu_version"] == CGU_VERSION and body["cgu_accepted_at"]
    assert body["is_editable"] is False and body["missing_fields"] == {}
    assert [entry["act"] for entry in body["history"]] == ["create", "submit"]
    assert body["history"][1]["actor"] == "Alice Martin"


@pytest.mark.rule("R-CON-5")
@pytest.mark.parametrize(
    ("days", "timeliness", "label"),
    [
        (3, "on_time", "Dans les délais"),
        (10, "due", "À instruire"),
        (17, "late", "En retard"),
    ],
)
def test_the_detail_reads_the_instruction_days_against_the_window(api, ana, submitted, days, timeliness, label):
    with time_machine.travel(timezone.now() + timedelta(days=days, hours=1)):
        body = api(ana).get(url(submitted.pk)).json()
    assert (body["instruction_days"], body["timeliness"], body["timeliness_label"]) == (days, timeliness, label)


def test_the_acts_offered_depend_on_the_caller(api, alice, bob, ana, submitted):
    assert api(alice).get(url(submitted.pk)).json()["available_acts"] == ["withdraw"]
    assert api(bob).get(url(submitted.pk)).status_code == 403  # no act on the contract: no details either
    assert api(ana).get(url(submitted.pk)).json()["available_acts"] == ["start_instruction"]


def test_an_agent_in_instruction_is_offered_his_decisions(api, ana, in_instruction):
    acts = api(ana).get(url(in_instruction.pk)).json()["available_acts"]
    assert sorted(acts) == ["accept", "ask_completion", "reject"]


def test_the_proof_is_shown_present_never_its_storage_path(api, alice, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("n.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    contract = services.contract_attach_proof(actor=alice, contract_pk=draft.pk, upload=pdf, kind="appointment")
    response = api(alice).get(url(draft.pk))
    body = response.json()
    assert body["has_proof"] is True and body["proof_kind"] == "appointment"
    assert "proof_file" not in body and contract.proof_file not in response.content.decode()


def test_it_checks_ownership(api, charlie, draft):
    response = api(charlie).get(url(draft.pk))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Ressource introuvable."}


def test_an_unknown_id_is_the_same_404(api, alice, draft):
    response = api(alice).get(url(draft.pk + 1000))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_malformed_id_is_a_json_404(api, alice, draft):
    response = api(alice).get("/api/v1/contracts/abc/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_without_a_token_the_answer_is_401(api, draft):
    assert api().get(url(draft.pk)).status_code == 401


def test_deleting_is_a_405(api, alice, draft):
    response = api(alice).delete(url(draft.pk))
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
