"""Read marks are per side: what the agents wrote is unread for the organisation until one of its
people opens the request, and the other way round; the API and the back office read the counts."""

import pytest

from esms_portal.dialogue.selectors import unread_counts, unread_counts_for_agents
from esms_portal.dialogue.services import message_post
from esms_portal.models import Message

pytestmark = pytest.mark.django_db


def _ref(form):
    return f"f999:{form.pk}"


def test_opening_the_request_marks_the_other_sides_messages_read(client, f999, alice, ana):
    message_post(actor=alice, obj=f999, body="Question")
    message_post(actor=ana, obj=f999, body="Réponse")
    assert unread_counts_for_agents([_ref(f999)]) == {_ref(f999): 1}
    assert unread_counts(alice, [_ref(f999)]) == {_ref(f999): 1}
    client.force_login(ana)
    page = client.get(f"/demandes/f999/{f999.pk}/messages/").content.decode()
    assert "1 non lu" in page and "message-unread" in page
    assert unread_counts_for_agents([_ref(f999)]) == {_ref(f999): 0}
    assert unread_counts(alice, [_ref(f999)]) == {_ref(f999): 1}  # the agent's own message is still unread there
    assert "message-unread" not in client.get(f"/demandes/f999/{f999.pk}/messages/").content.decode()


def test_an_agent_opening_marks_them_read_for_every_agent(f999, alice, ana):
    from esms_portal.dialogue.services import mark_read

    message_post(actor=alice, obj=f999, body="Question")
    assert mark_read(ana, f999) == 1
    assert Message.objects.get().read_at is not None


def test_counts_for_many_cases_in_one_query(f999, alice, alpha, django_assert_num_queries):
    from tests.kernel_app.services import f999_file

    other = f999_file(actor=alice, organisation=alpha, subject="Autre")
    for _ in range(3):
        message_post(actor=alice, obj=other, body="x")
    refs = [_ref(f999), _ref(other), "contrats:999"]
    with django_assert_num_queries(1):
        counts = unread_counts_for_agents(refs)
    assert counts == {_ref(f999): 0, _ref(other): 3, "contrats:999": 0}


def test_the_api_lists_the_callers_unread_counts(api, f999, alice, ana, charlie):
    message_post(actor=ana, obj=f999, body="Pour vous")
    assert api(alice).get("/api/v1/messages/unread/").json() == [{"case": _ref(f999), "unread": 1}]
    assert api(charlie).get("/api/v1/messages/unread/").json() == []
    assert api(ana).get("/api/v1/messages/unread/").json() == []
    api(alice).get(f"/api/v1/requests/f999/{f999.pk}/messages/")  # reading the conversation
    assert api(alice).get("/api/v1/messages/unread/").json() == []


def test_the_api_shows_when_the_other_side_read_a_message(api, f999, alice, ana):
    message_post(actor=alice, obj=f999, body="Lu ?")
    assert api(alice).get(f"/api/v1/requests/f999/{f999.pk}/messages/").json()["results"][0]["read_at"] is None
    api(ana).get(f"/api/v1/requests/f999/{f999.pk}/messages/")
    assert api(alice).get(f"/api/v1/requests/f999/{f999.pk}/messages/").json()["results"][0]["read_at"]
