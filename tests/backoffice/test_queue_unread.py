"""The queue counts each case's messages the agents have not read (esms_portal.dialogue), and opening
the case's conversation clears the count."""

import pytest

from esms_portal.dialogue.selectors import open_conversation
from esms_portal.dialogue.services import message_post

from .conftest import ref

pytestmark = pytest.mark.django_db

QUEUE = "/back-office/"


def unread_cell(html: str, case_ref: str) -> str:
    row = html.split(f'value="{case_ref}"')[1].split("</tr>")[0]
    return row.rsplit("<td>", 1)[1]


def test_the_organisations_messages_are_counted_until_an_agent_opens_the_case(client, ana, alice, f999):
    message_post(actor=alice, obj=f999, body="Voici le justificatif demandé.")
    message_post(actor=alice, obj=f999, body="Et la délibération du conseil.")
    client.force_login(ana)
    assert 'fr-badge--new">2</span>' in unread_cell(client.get(QUEUE).content.decode(), ref(f999))
    open_conversation(ana, f999)  # what the request's page does for an agent
    assert unread_cell(client.get(QUEUE).content.decode(), ref(f999)).startswith("0")


def test_an_agents_own_message_is_not_unread_for_agents(client, ana, f999):
    message_post(actor=ana, obj=f999, body="Pouvez-vous joindre le justificatif ?")
    client.force_login(ana)
    assert unread_cell(client.get(QUEUE).content.decode(), ref(f999)).startswith("0")
