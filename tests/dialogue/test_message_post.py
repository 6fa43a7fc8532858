"""Posting a message with attachments on any instructed request (here F999, the test-only form):
checked by content, 10 MB and 5 files at most, kept whole or not at all."""

import pytest

from esms_portal.core.errors import ActNotAllowed
from esms_portal.core.uploads import FileTooLarge, UploadRejected
from esms_portal.dialogue.errors import EmptyMessage, MessageTooLong, RequestClosed, TooManyAttachments
from esms_portal.dialogue.services import message_post
from esms_portal.models import Attachment, AuditEntry, Message, MessageKind
from esms_portal.workflow.form_services import form_act

from .conftest import ELF, PDF, png_bytes, upload

pytestmark = pytest.mark.django_db


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_organisation_writes_with_a_pdf_and_an_image(f999, alice):
    message = message_post(actor=alice, obj=f999, body="  Voici les pièces.  ",
                           files=[upload(), upload("photo.png", png_bytes(), "image/png")])
    assert (message.body, message.from_agent, message.kind) == ("Voici les pièces.", False, MessageKind.MESSAGE)
    assert [(a.name, a.content_type) for a in message.attachments.all()] == [
        ("piece.pdf", "application/pdf"), ("photo.png", "image/png")]
    assert message.case_ref == f"f999:{f999.pk}"
    assert AuditEntry.objects.filter(object_id=str(f999.pk), act="post_message").count() == 1


def test_an_agent_message_is_the_agents_side(f999, ana):
    assert message_post(actor=ana, obj=f999, body="Bien reçu.").from_agent is True


def test_a_renamed_executable_is_refused(f999, alice, settings):
    with pytest.raises(UploadRejected) as refused:
        message_post(actor=alice, obj=f999, body="x", files=[upload("facture.pdf", ELF)])
    assert refused.value.code == "unsupported_file_type"
    assert "facture.pdf" in refused.value.message
    assert not Message.objects.exists() and _stored_files(settings) == []


def test_a_pdf_without_its_end_is_refused(f999, alice):
    with pytest.raises(UploadRejected) as refused:
        message_post(actor=alice, obj=f999, files=[upload(data=b"%PDF-1.4\n" + b"x" * 100)])
    assert refused.value.code == "not_a_pdf"


def test_a_message_whose_third_attachment_fails_stores_nothing(f999, alice, settings):
    files = [upload(), upload("b.png", png_bytes(), "image/png"), upload("c.pdf", b"MZ\x90\x00 not a pdf")]
    with pytest.raises(UploadRejected):
        message_post(actor=alice, obj=f999, body="Trois pièces", files=files)
    assert not Message.objects.exists() and not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_a_failure_after_files_were_stored_removes_them(f999, alice, settings, monkeypatch):
    from esms_portal.dialogue import notices

    def broken(*args, **kwargs):
        raise RuntimeError("notification failed")

    monkeypatch.setattr(notices, "message_posted", broken)
    with pytest.raises(RuntimeError):
        message_post(actor=alice, obj=f999, body="x", files=[upload(), upload()])
    assert not Attachment.objects.exists() and _stored_files(settings) == []


def test_a_file_over_10_mb_is_refused(f999, alice):
    big = upload(data=PDF + b" " * (10 * 1024 * 1024))
    with pytest.raises(FileTooLarge) as refused:
        message_post(actor=alice, obj=f999, files=[big])
    assert refused.value.status == 413 and "10 Mo" in refused.value.message


def test_six_attachments_are_too_many(f999, alice):
    with pytest.raises(TooManyAttachments):
        message_post(actor=alice, obj=f999, files=[upload() for _ in range(6)])


def test_a_message_too_long_or_empty_is_refused(f999, alice):
    with pytest.raises(MessageTooLong) as refused:
        message_post(actor=alice, obj=f999, body="x" * 5001)
    assert refused.value.code == "message_too_long" and "5000 caractères" in refused.value.message
    with pytest.raises(EmptyMessage):
        message_post(actor=alice, obj=f999, body="   ")
    assert not Message.objects.exists()


def test_a_decided_or_withdrawn_request_takes_no_more_messages(f999, f999_in_instruction, alice, ana):
    form_act(actor=ana, form=f999, act="reject", reason="Incomplet")
    f999.refresh_from_db()
    with pytest.raises(RequestClosed) as refused:
        message_post(actor=alice, obj=f999, body="Pourquoi ?")
    assert refused.value.status == 409 and refused.value.code == "request_closed"


def test_an_outsider_may_not_write(f999, charlie):
    with pytest.raises(ActNotAllowed):
        message_post(actor=charlie, obj=f999, body="Intrus")


def test_the_page_posts_a_message_and_says_so(client, f999, alice):
    client.force_login(alice)
    response = client.post(f"/demandes/f999/{f999.pk}/messages/envoyer/", {"body": "Bonjour", "files": [upload()]},
                           follow=True)
    assert "Message envoyé." in response.content.decode()
    assert Message.objects.get().attachments.count() == 1


def test_the_page_tells_a_refusal_in_french(client, f999, alice):
    client.force_login(alice)
    response = client.post(f"/demandes/f999/{f999.pk}/messages/envoyer/",
                           {"body": "x", "files": [upload("logiciel.pdf", ELF)]}, follow=True)
    assert "n&#x27;est ni un PDF, ni une image PNG ou JPEG" in response.content.decode()
    assert not Message.objects.exists()


def test_an_outsider_gets_404_on_the_page(client, f999, charlie):
    client.force_login(charlie)
    assert client.post(f"/demandes/f999/{f999.pk}/messages/envoyer/", {"body": "x"}).status_code == 404
    assert client.get(f"/demandes/f999/{f999.pk}/messages/").status_code == 404
    assert client.get("/demandes/inconnu/1/messages/").status_code == 404
    assert client.get("/demandes/f999/pas-un-uuid/messages/").status_code == 404
