"""The daily digest groups, per person, the notifications he chose to receive that way; the agents'
weekday digest lists new cases, the organisations' replies and the cases near their limit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from esms_portal.dialogue import digests
from esms_portal.dialogue.services import message_post
from esms_portal.dialogue.tasks import send_digests
from esms_portal.models import Delivery, Notification, NotificationPreference
from esms_portal.workflow.form_services import form_act

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
THURSDAY_8H = datetime(2026, 12, 3, 8, 0, tzinfo=PARIS)


@pytest.fixture
def alice_digest(alice):
    for kind in ("message", "completion", "decision"):
        NotificationPreference.objects.create(user=alice, kind=kind, delivery=Delivery.DIGEST)
    return alice


def test_the_digest_groups_a_persons_notifications_by_kind(alice_digest, f999_in_instruction, ana, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ana, obj=f999_in_instruction, body="Première question")
        message_post(actor=ana, obj=f999_in_instruction, body="Deuxième question")
        form_act(actor=ana, form=f999_in_instruction, act="ask_completion", reason="Le Kbis")
    assert [m.to for m in mailoutbox] == []  # alice chose the digest for every kind
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_daily_digests(now=THURSDAY_8H) == 1
    (mail,) = mailoutbox
    assert mail.to == [alice_digest.email] and mail.subject == "Votre récapitulatif du 03/12/2026 sur le portail ESMS"
    body = mail.body
    assert body.index("Messages (2)") < body.index("Demandes de compléments (1)")
    assert "Décisions" not in body
    assert f"https://portail.example/demandes/f999/{f999_in_instruction.pk}/messages/" in body
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()


def test_one_digest_a_day_and_none_before_the_digest_hour(alice_digest, f999_in_instruction, ana, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ana, obj=f999_in_instruction, body="Question")
        assert digests.send_daily_digests(now=THURSDAY_8H.replace(hour=6)) == 0
        assert digests.send_daily_digests(now=THURSDAY_8H) == 1
        message_post(actor=ana, obj=f999_in_instruction, body="Une autre")
        assert digests.send_daily_digests(now=THURSDAY_8H + timedelta(hours=2)) == 0  # tomorrow's
        assert digests.send_daily_digests(now=THURSDAY_8H + timedelta(days=1)) == 1
    assert len(mailoutbox) == 2 and "Une autre" not in mailoutbox[0].body


def test_the_agents_digest_lists_new_cases_replies_and_cases_near_the_limit(alpha, alice, ana, mailoutbox,
                                                                           django_capture_on_commit_callbacks):
    from tests.kernel_app.services import f999_file

    with time_machine.travel(THURSDAY_8H - timedelta(days=15), tick=False):
        old = f999_file(actor=alice, organisation=alpha, subject="Ancien")
    with time_machine.travel(THURSDAY_8H - timedelta(days=4), tick=False):
        replied = f999_file(actor=alice, organisation=alpha, subject="Répondu")
        message_post(actor=alice, obj=replied, body="Une précision")
    with time_machine.travel(THURSDAY_8H - timedelta(hours=3), tick=False):
        new = f999_file(actor=alice, organisation=alpha, subject="Nouveau")
    content = digests.agents_digest(now=THURSDAY_8H)
    number = lambda form: str(form.pk).split("-")[0].upper()  # noqa: E731
    assert [number(new) in case["label"] for case in content["new"]] == [True]
    assert [(number(replied) in case["label"], case["unread"]) for case in content["replies"]] == [(True, 1)]
    assert [(number(old) in case["label"], case["days"]) for case in content["near"]] == [(True, 15)]
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_agents_digest(now=THURSDAY_8H) == 1
        assert digests.send_agents_digest(now=THURSDAY_8H + timedelta(hours=1)) == 0  # once a day
    (mail,) = mailoutbox
    assert mail.to == [ana.email] and "Dossiers proches du délai de 16 jours (1)" in mail.body
    assert "Nouveaux dossiers (1)" in mail.body and "1 message non lu" in mail.body


def test_no_agents_digest_on_weekends(f999, ana, mailoutbox):
    saturday = THURSDAY_8H + timedelta(days=2)
    assert digests.send_agents_digest(now=saturday) == 0


def test_the_periodic_task_is_scheduled_and_sends_both(settings):
    from esms_portal.celery import app

    assert settings.PORTAL_PERIODIC_TASKS["dialogue-digests"][0] == "dialogue.digests"
    assert "dialogue.digests" in app.tasks
    assert app.conf.beat_schedule["dialogue-digests"]["task"] == "dialogue.digests"
    with time_machine.travel(THURSDAY_8H, tick=False):
        assert send_digests() == {"daily": 0, "agents": 0}
