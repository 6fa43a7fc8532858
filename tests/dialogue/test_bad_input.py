"""The issue's bad input, each on the page AND through the API, for a message and for a completion
answer: a message too long, an attachment too big or of the wrong type, too many attachments, a
request the user may not see, a closed request. The page tells it in French, the API answers its
stable code with the same French message; nothing is stored half-way (no message, no attachment, no
file, the request's state unchanged)."""

import html

import pytest

from esms_portal.models import Attachment, Message
from esms_portal.workflow.form_services import form_act

from .conftest import ELF, PDF, upload

pytestmark = pytest.mark.django_db

TOO_BIG = PDF + b" " * (10 * 1024 * 1024)
# name: (payload, HTTP status, API code, what the French message says)
BAD = {
    "too_long": (lambda: {"body": "x" * 5001}, 400, "message_too_long", "dépasse 5000 caractères"),
    "too_big": (lambda: {"body": "x", "files": [upload(data=TOO_BIG)]}, 413, "file_too_large", "10 Mo"),
    "wrong_type": (lambda: {"body": "x", "files": [upload("facture.pdf", ELF)]}, 400, "unsupported_file_type",
                   "n'est ni un PDF, ni une image PNG ou JPEG"),
    "too_many": (lambda: {"body": "x", "files": [upload() for _ in range(6)]}, 400, "too_many_attachments",
                 "au plus 5 pièces jointes"),
}
ROUTES = {  # (page, API) for a message and for the answer to a completion request
    "message": ("/demandes/f999/{pk}/messages/envoyer/", "/api/v1/requests/f999/{pk}/messages/"),
    "answer": ("/demandes/f999/{pk}/messages/reponse/", "/api/v1/requests/f999/{pk}/messages/completion-answer/"),
}


def _files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def nothing_stored(settings):
    """Asserts, after the test's refusals, that nothing was stored."""
    before = (Message.objects.count(), Attachment.objects.count(), _files(settings))
    yield
    assert (Message.objects.count(), Attachment.objects.count(), _files(settings)) == before


def _page_says(response, said: str) -> None:
    assert response.status_code == 200  # redirected to the request's page, the refusal flashed
    page = html.unescape(response.content.decode())
    assert said in page and "fr-alert--error" in page


def _api_says(response, status: int, code: str, said: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and said in response.json()["message"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("bad", BAD)
def test_bad_input_is_refused_on_the_page_and_the_api(client, api, alice, f999_completion, nothing_stored,
                                                      route, bad):
    payload, status, code, said = BAD[bad]
    page, endpoint = (path.format(pk=f999_completion.pk) for path in ROUTES[route])
    client.force_login(alice)
    _page_says(client.post(page, payload(), follow=True), said)
    _api_says(api(alice).post(endpoint, payload(), format="multipart"), status, code, said)
    f999_completion.refresh_from_db()
    assert f999_completion.state == "completion_requested"


@pytest.mark.parametrize("route", ROUTES)
def test_a_request_the_user_may_not_see_is_not_found(client, api, charlie, f999_completion, nothing_stored, route):
    page, endpoint = (path.format(pk=f999_completion.pk) for path in ROUTES[route])
    client.force_login(charlie)
    assert client.post(page, {"body": "Intrus", "files": [upload()]}).status_code == 404
    response = api(charlie).post(endpoint, {"body": "Intrus", "files": [upload()]}, format="multipart")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert f999_completion.pk.hex not in response.content.decode() and "Essai" not in response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
def test_a_closed_request_takes_neither_message_nor_answer(client, api, alice, ana, f999_in_instruction, settings,
                                                           route):
    rejected = form_act(actor=ana, form=f999_in_instruction, act="reject", reason="Pièce manquante")
    before = (Message.objects.count(), Attachment.objects.count(), _files(settings))
    page, endpoint = (path.format(pk=rejected.pk) for path in ROUTES[route])
    client.force_login(alice)
    said = "Cette demande est close (décidée ou abandonnée) : on ne peut plus y répondre."
    _page_says(client.post(page, {"body": "Pourquoi ?", "files": [upload()]}, follow=True), said)
    _api_says(api(alice).post(endpoint, {"body": "Pourquoi ?", "files": [upload()]}, format="multipart"),
              409, "request_closed", said)
    assert (Message.objects.count(), Attachment.objects.count(), _files(settings)) == before
    rejected.refresh_from_db()
    assert rejected.state == "rejected"
