"""The adhesion contract from draft to accepted, entirely through the API, as two programs would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import Contract

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.rule("R-CON-1", "R-CON-3", "R-CON-4", "R-CON-5", "R-CON-7")
def test_a_contract_goes_from_draft_to_accepted_through_the_api(api, alice, ana, alpha, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    representative, agent = api(alice), api(ana)

    response = representative.post("/api/v1/contracts/", {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 201
    contract = f"/api/v1/contracts/{response.json()['id']}/"

    # The president signs; the director claims the card with his appointment (R-CON-7).
    response = representative.patch(
        contract,
        {
            "cgu_accepted": True,
            "representative_last_name": "Martin",
            "representative_first_names": "Alice",
            "representative_email": "alice@alpha.example",
            "capacity": "president",
            "card_arrangement": "director_card",
            "director_last_name": "Bernard",
            "director_first_names": "Paul",
        },
        format="json",
    )
    assert response.status_code == 200
    assert set(response.json()["missing_fields"]) == {"director_email", "proof", "proof_kind"}
    response = representative.post(contract + "submit/")
    assert response.status_code == 400 and response.json()["code"] == "incomplete"

    representative.patch(contract, {"director_email": "paul@alpha.example"}, format="json")
    proof = SimpleUploadedFile("nomination.pdf", PDF, content_type="application/pdf")
    response = representative.post(contract + "proof/", {"file": proof, "kind": "appointment"}, format="multipart")
    assert response.status_code == 200 and response.json()["missing_fields"] == {}

    response = representative.post(contract + "submit/")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert len(agent.get("/api/v1/contracts/", {"state": "submitted"}).json()["results"]) == 1

    assert agent.post(contract + "start-instruction/").json()["state"] == "in_instruction"
    assert b"".join(agent.get(contract + "proof/").streaming_content) == PDF
    response = agent.post(contract + "ask-completion/", {"message": "Joignez un téléphone."}, format="json")
    assert response.json()["state"] == "completion_requested"

    representative.patch(contract, {"representative_phone": "0102030405"}, format="json")
    response = representative.post(contract + "complete/", {"message": "Téléphone ajouté."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "in_instruction"

    response = agent.post(contract + "accept/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "accepted" and body["state_label"] == "Accepté" and body["decided_at"]
    assert [(e["act"], e["to_state"]) for e in body["history"]] == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("start_instruction", "in_instruction"),
        ("ask_completion", "completion_requested"),
        ("complete", "in_instruction"),
        ("accept", "accepted"),
    ]
    assert [e["actor"] for e in body["history"]] == [
        "Alice Martin",
        "Alice Martin",
        "Ana Agent",
        "Ana Agent",
        "Alice Martin",
        "Ana Agent",
    ]
    # The conversation of every request (esms_portal.dialogue).
    conversation = contract.replace("/contracts/", "/requests/contrats/") + "messages/"
    messages = representative.get(conversation).json()["results"]
    assert [(m["from_agent"], m["body"]) for m in messages] == [
        (True, "Joignez un téléphone."),
        (False, "Téléphone ajouté."),
    ]

    # The audit trail in the database says the same, in order (STYLE.md convention 6).
    stored = Contract.objects.get()
    assert [e.act for e in stored.audit_trail()] == [
        "create",
        "submit",
        "start_instruction",
        "ask_completion",
        "complete",
        "accept",
    ]
    assert stored.covers_service("RPPS+")
    response = representative.post("/api/v1/contracts/", {"structure": str(alpha.pk)}, format="json")
    assert response.status_code == 409 and response.json()["details"] == {"contract": str(stored.pk)}
