"""Each decision's mail names its attestation (its verification code and public link), is sent once
per person after commit and never on a rollback; the RPPS+ analysis decisions are told through the
dialogue (notification centre, one mail) without a second mail from rpps_plus."""

from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from esms_portal.models import Attestation, Notification, NotificationKind
from esms_portal.workflow.form_services import form_accept, form_act
from tests.rpps_plus.conftest import gina, person  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _per_person(mailoutbox) -> Counter:
    return Counter(address for mail in mailoutbox for address in mail.to)


def _names_its_attestation(mail, attestation) -> None:
    assert attestation.code in mail.body
    assert f"https://portail.example/attestations/{attestation.code}/" in mail.body


def test_an_acceptance_mail_names_its_attestation_once_per_person(f999_in_instruction, ana, alice, bob,
                                                                  mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        form_accept(actor=ana, form=f999_in_instruction)
    assert mailoutbox == []  # after the commit only
    for callback in callbacks:
        callback()
    for callback in callbacks:  # run again (a retried sender): nothing more
        callback()
    (mail,) = mailoutbox
    _names_its_attestation(mail, Attestation.objects.get())
    assert _per_person(mailoutbox) == {alice.email: 1, bob.email: 1}


def test_a_refusal_mail_names_its_attestation(f999_in_instruction, ana, mailoutbox,
                                              django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form_act(actor=ana, form=f999_in_instruction, act="reject", reason="Pièce illisible")
    (mail,) = mailoutbox
    _names_its_attestation(mail, Attestation.objects.get(decision="refused"))
    assert "Pièce illisible" in mail.body


def test_a_completion_request_has_no_attestation(f999_in_instruction, ana, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form_act(actor=ana, form=f999_in_instruction, act="ask_completion", reason="Le Kbis, svp.")
    (mail,) = mailoutbox
    assert "/attestations/" not in mail.body and "code de vérification" not in mail.body


def test_a_rolled_back_decision_mails_nobody_and_issues_nothing(f999_in_instruction, ana, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            form_accept(actor=ana, form=f999_in_instruction)
            raise RuntimeError("rollback")
    assert mailoutbox == []
    assert not Attestation.objects.exists() and not Notification.objects.filter(kind="decision").exists()


@pytest.mark.parametrize(("act", "decision"), [("accept", "accepted"), ("reject", "refused")])
def test_the_contracts_own_mail_names_its_attestation(in_instruction, ana, alice, mailoutbox,
                                                      django_capture_on_commit_callbacks, act, decision):
    from contracts import services

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if act == "accept":
            services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
        else:
            services.contract_reject(actor=ana, contract_pk=in_instruction.pk, reason="Signataire non habilité")
    decision_mails = [mail for mail in mailoutbox if "d'adhésion est" in mail.subject]
    (mail,) = decision_mails
    _names_its_attestation(mail, Attestation.objects.get(decision=decision))
    assert all(count == 1 for count in _per_person(decision_mails).values())


# RPPS+: the analysis of an unlisted profession.
@pytest.fixture
def in_analysis(settings, accepted, gina, alpha):  # noqa: F811
    from rpps_plus import services

    settings.PORTAL_SMS_BACKEND = "rpps_plus.sms.LocmemSmsBackend"
    return services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"),
        site=alpha.sites_for_test[0])


def test_a_refused_profession_mails_the_gestionnaire_once_and_the_centre_lists_it(
        client, in_analysis, ana, gina, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    from rpps_plus import services

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.situation_reject_profession(actor=ana, situation_pk=in_analysis.pk, reason="Métier administratif")
    counts = _per_person(mailoutbox)
    assert counts[gina.email] == 1 and counts[in_analysis.professional.email] == 1
    assert all(count == 1 for count in counts.values())
    (told,) = [mail for mail in mailoutbox if gina.email in mail.to]
    _names_its_attestation(told, Attestation.objects.get(request_key="rpps"))
    assert "Métier administratif" in told.body
    (professional,) = [mail for mail in mailoutbox if in_analysis.professional.email in mail.to]
    assert professional.subject == "Enregistrement RPPS+ : profession non retenue"

    notification = Notification.objects.get(user=gina, kind=NotificationKind.DECISION)
    client.force_login(gina)
    centre = client.get(reverse("dialogue:notifications")).content.decode()
    assert escape(notification.title) in centre and "refus" in notification.title


def test_an_accepted_profession_mails_the_gestionnaire_once_and_the_centre_lists_it(
        client, in_analysis, ana, gina, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    from rpps_plus import services

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.situation_accept_profession(actor=ana, situation_pk=in_analysis.pk, profession_code="312")
    told = [mail for mail in mailoutbox if gina.email in mail.to]
    assert len(told) == 1
    _names_its_attestation(told[0], Attestation.objects.get(request_key="rpps"))
    assert all(count == 1 for count in _per_person(mailoutbox).values())
    client.force_login(gina)
    centre = client.get(reverse("dialogue:notifications")).content.decode()
    assert escape(Notification.objects.get(user=gina, kind=NotificationKind.DECISION).title) in centre


def test_a_termination_mail_names_its_own_attestation(accepted, ana, mailoutbox, django_capture_on_commit_callbacks):
    from contracts import services

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_terminate(actor=ana, contract_pk=accepted.pk, reason="Structure fermée.")
    (mail,) = [mail for mail in mailoutbox if "résili" in mail.subject]
    _names_its_attestation(mail, Attestation.objects.get(decision="terminated"))
    assert all(count == 1 for count in _per_person([mail]).values())


def test_an_f301_acceptance_mail_names_its_attestation(accepted, alice, alice_card, alpha, ana, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    from cards import services
    from tests.cards.conftest import staff_line

    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    services.form_act(actor=ana, form=order, act="start_instruction")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.form_accept(actor=ana, form=order)
    (mail,) = [mail for mail in mailoutbox if mail.subject == "Votre demande F301 : acceptée"]
    _names_its_attestation(mail, Attestation.objects.get(request_key="f301"))
    assert "Les cartes sont commandées" in mail.body


def test_the_cards_and_certificates_mails_link_to_the_request(accepted, alice, alice_card, alpha, ana, pki,
                                                              mailoutbox, django_capture_on_commit_callbacks):
    from cards import services
    from certificates import services as certificate_services
    from tests.cards.conftest import staff_line

    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    f413 = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["ORG_SIGN"], administrator_emails=[alice.email], software_names=["DUI Alpha"])
    for form in (order, f413):
        services.form_act(actor=ana, form=form, act="start_instruction")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.form_act(actor=ana, form=order, act="ask_completion", reason="Le diplôme de Lucie.")
        certificate_services.form_act(actor=ana, form=f413, act="reject", reason="Logiciel inconnu.")
    f301_mail, f413_mail = mailoutbox
    assert f"Voir la demande : https://portail.example/cartes/f301/{order.pk}/" in f301_mail.body
    assert f"Voir la demande : https://portail.example/certificats/f413/{f413.pk}/" in f413_mail.body
    assert "Logiciel inconnu." in f413_mail.body
    _names_its_attestation(f413_mail, Attestation.objects.get(request_key="f413"))


def test_the_centre_and_the_digest_name_the_attestation_too(f999_in_instruction, ana, alice, mailoutbox, client,
                                                             django_capture_on_commit_callbacks):
    from esms_portal.dialogue import digests
    from esms_portal.models import Delivery, NotificationPreference

    NotificationPreference.objects.create(user=alice, kind=NotificationKind.DECISION, delivery=Delivery.DIGEST)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        form_accept(actor=ana, form=f999_in_instruction)
    code = Attestation.objects.get().code
    assert [alice.email] not in [mail.to for mail in mailoutbox]  # she reads it in her digest
    client.force_login(alice)
    assert f"(attestation {code})" in client.get(reverse("dialogue:notifications")).content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_daily_digests(now=timezone.localtime().replace(hour=23, minute=59)) == 1
    (digest,) = [mail for mail in mailoutbox if alice.email in mail.to]
    assert f"(attestation {code})" in digest.body
