"""A completion request and its answer are messages of the conversation; the answer may carry the
missing file and sends the request back to instruction in ONE act (message, state, audit row)."""

import pytest

from esms_portal.core.errors import ActNotAllowed
from esms_portal.core.uploads import UploadRejected
from esms_portal.dialogue.errors import NoCompletionRequested
from esms_portal.dialogue.selectors import messages_of
from esms_portal.dialogue.services import completion_answer
from esms_portal.models import AuditEntry, Message, MessageKind, Notification
from esms_portal.workflow.instruction import FormState

from .conftest import ELF, PDF, upload

pytestmark = pytest.mark.django_db


def test_the_completion_request_is_the_agents_message(f999_completion, ana):
    (message,) = messages_of(f999_completion)
    assert (message.kind, message.from_agent, message.author, message.body) == (
        MessageKind.COMPLETION_REQUEST, True, ana, "Joignez le justificatif.")
    assert message.audit_entry.act == "ask_completion"


def test_the_answer_carries_the_file_and_resumes_instruction_in_one_act(f999_completion, alice):
    answered = completion_answer(actor=alice, obj=f999_completion, body="Le voici.", files=[upload("kbis.pdf")])
    assert answered.state == FormState.IN_INSTRUCTION and answered.paused_at is None
    answer = messages_of(answered).last()
    assert (answer.kind, answer.body, answer.author) == (MessageKind.COMPLETION_ANSWER, "Le voici.", alice)
    assert [a.name for a in answer.attachments.all()] == ["kbis.pdf"]
    entry = AuditEntry.objects.get(object_id=str(answered.pk), act="complete")
    assert (entry.from_state, entry.to_state, entry.reason) == ("completion_requested", "in_instruction", "Le voici.")
    assert answer.audit_entry == entry


def test_a_bad_file_leaves_everything_as_it_was(f999_completion, alice):
    with pytest.raises(UploadRejected):
        completion_answer(actor=alice, obj=f999_completion, body="Le voici.", files=[upload(), upload("x.pdf", ELF)])
    f999_completion.refresh_from_db()
    assert f999_completion.state == FormState.COMPLETION_REQUESTED
    assert not Message.objects.filter(kind=MessageKind.COMPLETION_ANSWER).exists()
    assert not AuditEntry.objects.filter(act="complete").exists()


def test_no_answer_without_a_completion_request(f999_in_instruction, alice):
    with pytest.raises(NoCompletionRequested) as refused:
        completion_answer(actor=alice, obj=f999_in_instruction, body="?")
    assert refused.value.status == 409


def test_the_agent_cannot_answer_for_the_organisation(f999_completion, ana):
    with pytest.raises(ActNotAllowed):
        completion_answer(actor=ana, obj=f999_completion, body="Je réponds")


def test_the_organisations_to_do_is_done_once_answered(bob, f999_completion, alice):
    to_do = Notification.objects.filter(to_do=True, done_at__isnull=True, kind="completion")
    assert set(to_do.values_list("user__email", flat=True)) == {alice.email, bob.email}
    completion_answer(actor=alice, obj=f999_completion, files=[upload()])
    assert not to_do.exists()


def test_the_page_answers_with_a_pdf(client, f999_completion, alice):
    client.force_login(alice)
    page = client.get(f"/demandes/f999/{f999_completion.pk}/messages/").content.decode()
    assert "Répondre à la demande de compléments" in page
    response = client.post(f"/demandes/f999/{f999_completion.pk}/messages/reponse/",
                           {"body": "Ci-joint", "files": [upload("kbis.pdf")]}, follow=True)
    assert "la demande retourne en instruction" in response.content.decode()
    f999_completion.refresh_from_db()
    assert f999_completion.state == FormState.IN_INSTRUCTION


def test_the_api_answers_with_a_pdf(api, f999_completion, alice):
    response = api(alice).post(f"/api/v1/requests/f999/{f999_completion.pk}/messages/completion-answer/",
                               {"body": "Ci-joint", "files": [upload("kbis.pdf")]}, format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "in_instruction" and body["message"]["kind"] == "completion_answer"
    assert [a["name"] for a in body["message"]["attachments"]] == ["kbis.pdf"]
    again = api(alice).post(f"/api/v1/requests/f999/{f999_completion.pk}/messages/completion-answer/",
                            {"body": "Encore"}, format="multipart")
    assert again.status_code == 409 and again.json()["code"] == "no_completion_requested"


def test_the_contracts_completion_goes_through_the_same_conversation(api, in_instruction, ana, alice):
    from contracts import services

    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Joignez la délégation.")
    response = api(alice).post(f"/api/v1/requests/contrats/{in_instruction.pk}/messages/completion-answer/",
                               {"body": "Jointe.", "files": [upload("delegation.pdf", PDF)]}, format="multipart")
    assert response.status_code == 200 and response.json()["state"] == "in_instruction"
    kinds = [m["kind"] for m in api(ana).get(f"/api/v1/requests/contrats/{in_instruction.pk}/messages/")
             .json()["results"]]
    assert kinds == ["completion_request", "completion_answer"]
