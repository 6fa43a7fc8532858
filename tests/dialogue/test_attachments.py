"""An attachment is streamed only to whom may see its request: another organisation gets 404."""

import pytest

from esms_portal.dialogue.services import message_post

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(f999, alice):
    message = message_post(actor=alice, obj=f999, body="Justificatif", files=[upload("délégation.pdf")])
    return message, message.attachments.get()


def _page(f999, message, attachment):
    return f"/demandes/f999/{f999.pk}/messages/{message.pk}/pieces/{attachment.pk}/"


def _api(f999, message, attachment):
    return f"/api/v1/requests/f999/{f999.pk}/messages/{message.pk}/attachments/{attachment.pk}/"


@pytest.mark.parametrize("who", ["alice", "bob", "ana"])
def test_the_organisation_and_the_agents_open_it(client, f999, attachment, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_page(f999, *attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_gets_404_on_the_page_and_the_api(client, api, f999, attachment, charlie):
    client.force_login(charlie)
    assert client.get(_page(f999, *attachment)).status_code == 404
    response = api(charlie).get(_api(f999, *attachment))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_attachment_of_another_request_is_not_found_through_this_one(client, f999, attachment, alice, alpha):
    from tests.kernel_app.services import f999_file

    other = f999_file(actor=alice, organisation=alpha, subject="Autre")
    client.force_login(alice)
    assert client.get(_page(other, *attachment)).status_code == 404


def test_the_api_streams_it_as_a_download(api, f999, attachment, ana):
    response = api(ana).get(_api(f999, *attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_a_file_has_no_public_url(f999, attachment):
    from esms_portal.core.uploads import private_storage

    with pytest.raises(ValueError):
        private_storage.url(attachment[1].file)
