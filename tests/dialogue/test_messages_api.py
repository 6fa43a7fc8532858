"""The conversation of a request in the API (`/api/v1/requests/<type>/<id>/messages/`), on the adhesion
contract: what was the contract's own messages API before the dialogue took them over."""

from contracts import services
from esms_portal.dialogue.services import message_post
from esms_portal.models import Message


def url(contract):
    return f"/api/v1/requests/contrats/{contract.pk}/messages/"


def _messages(contract):
    return Message.objects.filter(request_type="contrats", request_pk=str(contract.pk))


def test_the_organisation_and_the_agent_exchange_messages(api, alice, ana, submitted):
    response = api(alice).post(url(submitted), {"body": "  Le dossier est-il complet ?  "}, format="json")
    assert response.status_code == 201
    assert response.json()["body"] == "Le dossier est-il complet ?" and response.json()["from_agent"] is False
    api(ana).post(url(submitted), {"body": "Oui."}, format="json")
    body = api(alice).get(url(submitted)).json()
    assert len(body["results"]) == 2
    assert [(m["author"], m["from_agent"], m["body"]) for m in body["results"]] == [
        ("Alice Martin", False, "Le dossier est-il complet ?"),
        ("Ana Agent", True, "Oui."),
    ]


def test_a_completion_request_is_listed_as_the_agents_message(api, alice, ana, in_instruction):
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Joignez la délégation.")
    (message,) = api(alice).get(url(in_instruction)).json()["results"]
    assert message["from_agent"] is True and message["body"] == "Joignez la délégation."


def test_an_empty_message_is_refused(api, alice, draft):
    for payload in ({"body": "   "}, {}):
        response = api(alice).post(url(draft), payload, format="json")
        assert response.status_code == 400 and response.json()["code"] == "empty_message"
    assert not _messages(draft).exists()


def test_a_message_of_the_wrong_type_is_a_400(api, alice, draft):
    response = api(alice).post(url(draft), {"body": ["a", "b"]}, format="json")
    assert response.status_code == 400 and "body" in response.json()["details"]


def test_the_mandataire_neither_reads_nor_writes(api, bob, draft):
    # The contract's conversation is the legal representative's (its message_act): out of his reach.
    assert api(bob).get(url(draft)).status_code == 404
    response = api(bob).post(url(draft), {"body": "Bonjour"}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_withdrawn_dossier_takes_no_more_messages(api, alice, draft):
    services.contract_withdraw(actor=alice, contract_pk=draft.pk)
    response = api(alice).post(url(draft), {"body": "Encore là ?"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "request_closed"
    assert "close" in response.json()["message"]


def test_the_messages_are_paginated(api, alice, draft):
    for n in range(3):
        message_post(actor=alice, obj=draft, body=f"Message {n}")
    body = api(alice).get(url(draft), {"page_size": 2}).json()
    assert [m["body"] for m in body["results"]] == ["Message 0", "Message 1"] and body["next"]
    rest = api(alice).get(body["next"]).json()
    assert [m["body"] for m in rest["results"]] == ["Message 2"] and rest["next"] is None


def test_it_checks_ownership(api, charlie, alice, draft):
    message_post(actor=alice, obj=draft, body="Confidentiel")
    response = api(charlie).get(url(draft))
    assert response.status_code == 404 and "Confidentiel" not in response.content.decode()
    response = api(charlie).post(url(draft), {"body": "Intrus"}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert _messages(draft).count() == 1


def test_without_a_token_the_answer_is_401(api, draft):
    assert api().get(url(draft)).status_code == 401


def _f999_url(form):
    return f"/api/v1/requests/f999/{form.pk}/messages/"


def test_the_api_refuses_bad_attachments_with_stable_codes(api, alice, f999):
    from esms_portal.models import Attachment

    from .conftest import ELF, PDF, upload

    cases = [
        ({"body": "x", "files": [upload("virus.pdf", ELF)]}, 400, "unsupported_file_type"),
        ({"body": "x", "files": [upload() for _ in range(6)]}, 400, "too_many_attachments"),
        ({"body": "x" * 5001}, 400, "message_too_long"),
        ({"body": "x", "files": [upload(data=PDF + b" " * (10 * 1024 * 1024))]}, 413, "file_too_large"),
    ]
    for payload, status, code in cases:
        response = api(alice).post(_f999_url(f999), payload, format="multipart")
        assert (response.status_code, response.json()["code"]) == (status, code), code
        assert response.json()["message"]  # in French, shown as it is
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_the_api_posts_a_message_with_its_attachments(api, alice, f999):
    from .conftest import png_bytes, upload

    response = api(alice).post(_f999_url(f999), {"body": "Pièces", "files": [upload(), upload(
        "scan.jpg.png", png_bytes(), "image/jpeg")]}, format="multipart")
    assert response.status_code == 201, response.content
    assert [(a["name"], a["content_type"]) for a in response.json()["attachments"]] == [
        ("piece.pdf", "application/pdf"), ("scan.jpg.png", "image/png")]  # the content decides, not the name


def test_a_message_body_may_carry_five_attachments_of_10_mb_but_no_more(client, alice, f999, settings):
    from esms_portal.core.bodies import body_cap

    class Posted:
        content_type = "multipart/form-data"

        def __init__(self, path):
            self.path = path

    assert body_cap(Posted(_f999_url(f999))) == settings.PORTAL_MESSAGE_UPLOAD_MAX_BYTES > 5 * 10 * 1024 * 1024
    answer = f"/demandes/f999/{f999.pk}/messages/reponse/"
    assert body_cap(Posted(answer)) == settings.PORTAL_MESSAGE_UPLOAD_MAX_BYTES
    assert body_cap(Posted("/api/v1/rpps/imports/")) == settings.PORTAL_UPLOAD_MAX_BYTES
    settings.PORTAL_MESSAGE_UPLOAD_MAX_BYTES = 1024
    client.force_login(alice)
    response = client.post(f"/demandes/f999/{f999.pk}/messages/envoyer/", {"files": ("a.pdf", b"x" * 2048)})
    assert response.status_code == 413 and "La requête dépasse la taille maximale" in response.content.decode()
