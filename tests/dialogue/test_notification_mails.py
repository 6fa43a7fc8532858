"""Each message, completion request and decision sends ONE mail after commit to the people
concerned, in French with a link built from PORTAL_BASE_URL; none on a rollback, never twice."""

import pytest
from django.db import transaction

from esms_portal.dialogue.notifications import send_claimed
from esms_portal.dialogue.services import message_post
from esms_portal.models import Delivery, Notification, NotificationPreference
from esms_portal.workflow.form_services import form_accept, form_act

pytestmark = pytest.mark.django_db


def test_a_message_of_the_agent_is_mailed_once_after_commit(f999_in_instruction, ana, alice, bob, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_post(actor=ana, obj=f999_in_instruction, body="Une question.")
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (mail,) = mailoutbox
    assert sorted(mail.to) == [alice.email, bob.email]
    assert mail.subject.startswith("Nouveau message sur la demande F999 n°")
    assert "Une question." in mail.body
    assert f"https://portail.example/demandes/f999/{f999_in_instruction.pk}/messages/" in mail.body
    for callback in callbacks:  # a retried sender finds them claimed
        callback()
    assert len(mailoutbox) == 1


def test_a_rolled_back_message_mails_nobody(f999_in_instruction, ana, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            message_post(actor=ana, obj=f999_in_instruction, body="Annulé")
            raise RuntimeError("rollback")
    assert mailoutbox == [] and not Notification.objects.exists()


def test_the_organisations_message_goes_to_the_instructing_agent(f999_in_instruction, alice, ana, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=alice, obj=f999_in_instruction, body="Avez-vous tout ?")
    assert [mail.to for mail in mailoutbox] == [[ana.email]]


def test_a_decision_is_mailed_once_with_the_declarations_template(f999_in_instruction, ana, alice, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form_accept(actor=ana, form=f999_in_instruction)
    (mail,) = mailoutbox
    assert mail.subject == "Votre demande F999 : acceptée"
    assert "Votre demande F999 est accept" in mail.body


def test_a_completion_request_is_mailed_once(f999_in_instruction, ana, alice, mailoutbox,
                                            django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form_act(actor=ana, form=f999_in_instruction, act="ask_completion", reason="Le Kbis, svp.")
    (mail,) = mailoutbox
    assert mail.subject == "Votre demande F999 : compléments demandés" and "Le Kbis, svp." in mail.body


def test_the_contracts_decision_keeps_its_own_mail(in_instruction, ana, mailoutbox, django_capture_on_commit_callbacks):
    from contracts import services

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_reject(actor=ana, contract_pk=in_instruction.pk, reason="Signataire non habilité")
    (mail,) = mailoutbox
    assert mail.subject == "Votre contrat d'adhésion est refusé" and "Signataire non habilité" in mail.body


def test_who_chose_the_digest_gets_no_immediate_mail(f999_in_instruction, ana, alice, bob, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=bob, kind="message", delivery=Delivery.DIGEST)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ana, obj=f999_in_instruction, body="Bonjour")
    assert [mail.to for mail in mailoutbox] == [[alice.email]]
    assert Notification.objects.get(user=bob).digest is True


def test_a_retried_act_notifies_once(f999_in_instruction, ana, alice, mailoutbox):
    from esms_portal.dialogue import notices
    from esms_portal.models import AuditEntry

    entry = AuditEntry.objects.filter(act="start_instruction").get()
    for _ in range(2):  # the same cause twice: one row per person
        notices.act_notice(f999_in_instruction, "ask_completion", entry)
    assert Notification.objects.filter(user=alice).count() == 1


def test_claimed_notifications_are_never_mailed_twice(f999_in_instruction, ana, alice, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ana, obj=f999_in_instruction, body="Bonjour")
    keys = list(Notification.objects.values_list("dedup_key", flat=True))
    mailoutbox.clear()
    assert send_claimed(keys, "Sujet", "Corps") == 0 and mailoutbox == []
