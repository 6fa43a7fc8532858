"""The notification centre on the person's space (« À faire », « Notifications »), the header's
counts (one query whatever their number), marking read, and the preferences page."""

import pytest
from django.urls import reverse

from esms_portal.dialogue.services import message_post
from esms_portal.models import Delivery, Notification, NotificationPreference
from esms_portal.workflow.form_services import form_act

pytestmark = pytest.mark.django_db


def test_the_centre_lists_what_waits_and_the_header_counts_it(client, f999_completion, alice, ana):
    message_post(actor=ana, obj=f999_completion, body="Et aussi le RIB")
    client.force_login(alice)
    page = client.get(reverse("dialogue:notifications")).content.decode()
    assert "À faire (1)" in page and "Compléments demandés sur la demande F999" in page
    assert "Nouveau message sur la demande F999" in page
    assert "1 à faire" in page and "2 non lues" in page  # the header


def test_opening_a_notification_marks_it_read_and_leads_to_the_request(client, f999_completion, alice):
    client.force_login(alice)
    notification = Notification.objects.get(user=alice)
    response = client.get(reverse("dialogue:notification", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == f"/demandes/f999/{f999_completion.pk}/messages/"
    notification.refresh_from_db()
    assert notification.read_at is not None and notification.done_at is None  # still to do until answered


def test_all_marked_read_at_once(client, f999_completion, alice, ana):
    message_post(actor=ana, obj=f999_completion, body="x")
    client.force_login(alice)
    client.post(reverse("dialogue:notifications_read"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, f999_completion, charlie, alice):
    client.force_login(charlie)
    notification = Notification.objects.get(user=alice)
    assert client.get(reverse("dialogue:notification", args=[notification.pk])).status_code == 404


def test_the_header_counts_take_one_query_whatever_their_number(client, f999_in_instruction, alice, ana,
                                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dialogue:preferences")).status_code == 200
        return len(captured)

    message_post(actor=ana, obj=f999_in_instruction, body="1")
    few = queries()
    for n in range(10):
        message_post(actor=ana, obj=f999_in_instruction, body=str(n))
    assert queries() == few


def test_the_agents_side_is_done_once_he_opens_the_request(client, f999_in_instruction, alice, ana):
    message_post(actor=alice, obj=f999_in_instruction, body="Question")
    to_do = Notification.objects.filter(user=ana, to_do=True, done_at__isnull=True)
    assert to_do.count() == 1
    client.force_login(ana)
    client.get(f"/demandes/f999/{f999_in_instruction.pk}/messages/")
    assert not to_do.exists()


def test_the_preferences_page_saves_each_kinds_choice(client, alice):
    client.force_login(alice)
    page = client.get(reverse("dialogue:preferences")).content.decode()
    assert "Demandes de compléments" in page and "Un récapitulatif quotidien" in page
    client.post(reverse("dialogue:preferences"), {"message": "digest", "completion": "immediate",
                                                 "decision": "digest"})
    chosen = dict(NotificationPreference.objects.filter(user=alice).values_list("kind", "delivery"))
    assert chosen == {"message": Delivery.DIGEST, "completion": Delivery.IMMEDIATE, "decision": Delivery.DIGEST}


def test_a_decision_closes_the_organisations_to_do(f999_completion, alice, ana):
    form_act(actor=alice, form=f999_completion, act="withdraw")
    assert not Notification.objects.filter(to_do=True, done_at__isnull=True).exists()


def test_my_space_links_to_them(client, alice):
    client.force_login(alice)
    page = client.get(reverse("my_space")).content.decode()
    assert reverse("dialogue:notifications") in page and reverse("dialogue:preferences") in page
    assert "<title>Mon espace — Portail ESMS</title>" in page


def test_the_api_lists_counts_and_marks_read(api, f999_completion, alice, charlie):
    listed = api(alice).get("/api/v1/notifications/").json()["results"]
    assert [(n["kind"], n["case"], n["to_do"]) for n in listed] == [("completion", f"f999:{f999_completion.pk}", True)]
    assert api(alice).get("/api/v1/notifications/counts/").json() == {"unread": 1, "to_do": 1}
    assert api(charlie).get("/api/v1/notifications/").json()["results"] == []
    assert api(alice).post("/api/v1/notifications/read/").json() == {"unread": 0, "to_do": 1}
