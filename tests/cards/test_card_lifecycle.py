"""A card from its order to its renewal, on the timed steps, with a controlled clock."""

from datetime import timedelta

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core import mail
from django.utils import timezone

from cards import services
from cards.models import Card, CardState
from cards.services.chip import chip_certificate, chip_private_key
from esms_portal import pki as igc
from esms_portal.core.errors import InvalidInput, StateConflict
from esms_portal.models import ScheduledStep
from tests.timed import run_due_steps


@pytest.fixture
def ordered_card(f301_accepted):
    return f301_accepted.lines.get().card


def _at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.mark.rule("R-CRD-7")
def test_a_card_is_produced_shipped_and_delivered_in_about_ten_days(
    pki, ordered_card, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with _at(start):
        run_due_steps()
    ordered_card.refresh_from_db()
    assert ordered_card.state == CardState.IN_PRODUCTION

    with _at(start + timedelta(days=6, hours=23)):
        run_due_steps()
    assert Card.objects.get(pk=ordered_card.pk).state == CardState.IN_PRODUCTION
    with _at(start + timedelta(days=7, minutes=1)):
        run_due_steps()
    assert Card.objects.get(pk=ordered_card.pk).state == CardState.SHIPPED
    with _at(start + timedelta(days=10, minutes=2)), django_capture_on_commit_callbacks(execute=True):
        run_due_steps()
    card = Card.objects.get(pk=ordered_card.pk)
    assert card.state == CardState.DELIVERED
    assert card.delivered_at - card.created_at < timedelta(days=10, minutes=5)
    assert mail.outbox[-1].to == ["lucie@alpha.example"]
    assert f"/cartes/{card.pk}/activer/" in mail.outbox[-1].body


@pytest.mark.rule("R-CRD-18")
def test_the_chips_certificate_names_the_holder_by_the_national_identifier(pki, ordered_card):
    run_due_steps()
    card = Card.objects.get(pk=ordered_card.pk)
    certificate = chip_certificate(card)
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == card.national_id
    assert chip_private_key(card).public_key().public_numbers() == certificate.public_key().public_numbers()
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    igc.verify_person_certificate(certificate)


@pytest.mark.rule("R-CRD-11")
def test_opposing_a_card_revokes_its_certificate(pki, ordered_card, alice):
    run_due_steps()
    card = Card.objects.get(pk=ordered_card.pk)
    services.card_oppose(actor=alice, card=card, reason="Départ de l'agent")
    with pytest.raises(igc.CertificateRejected):
        igc.verify_person_certificate(chip_certificate(card))


def _deliver(card):
    from esms_portal.core.permissions import SYSTEM
    from esms_portal.workflow.requests import perform_act

    for act in ("start_production", "ship", "deliver"):
        perform_act(Card, card.pk, act, actor=SYSTEM)
    return Card.objects.get(pk=card.pk)


@pytest.mark.rule("R-CRD-8")
def test_an_activated_card_is_valid_three_years_and_only_its_pins_hash_is_kept(ordered_card):
    card = _deliver(ordered_card)
    card = services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
    assert card.state == CardState.ACTIVE
    assert "4826" not in card.pin_hash and card.pin_hash.count("$") >= 2
    assert card.expires_at.year - card.valid_from.year == 3


def test_only_the_holder_activates_his_card(ordered_card, alice):
    card = _deliver(ordered_card)
    from esms_portal.core.errors import ActNotAllowed

    with pytest.raises(ActNotAllowed):
        services.card_activate(actor=alice, card=card, pin="4826", pin_confirmation="4826")


@pytest.mark.parametrize("pin", ["12", "123456789", "12a4", "", "1111", "1234"])
def test_a_pin_of_the_wrong_form_is_refused(ordered_card, pin):
    card = _deliver(ordered_card)
    with pytest.raises(InvalidInput):
        services.card_activate(actor=card.holder, card=card, pin=pin, pin_confirmation=pin)
    assert Card.objects.get(pk=card.pk).state == CardState.DELIVERED


def test_the_two_pin_entries_must_match(ordered_card):
    card = _deliver(ordered_card)
    with pytest.raises(InvalidInput) as error:
        services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4827")
    assert error.value.code == "pin_mismatch"


def test_a_card_is_activated_once(ordered_card):
    card = _deliver(ordered_card)
    services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
    with pytest.raises(StateConflict):
        services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")


@pytest.mark.rule("R-CRD-8")
def test_the_renewal_card_is_sent_a_month_before_expiry_with_the_same_codes(pki, ordered_card):
    card = _deliver(ordered_card)
    card = services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
    expiry = card.expires_at

    renewals = ScheduledStep.objects.filter(kind="cards.renew", object_id=str(card.pk))
    with _at(expiry - timedelta(days=31)):
        services.schedule_due_renewals()
        assert not renewals.exists()
    with _at(expiry - timedelta(days=29)):
        services.schedule_due_renewals()
        assert services.schedule_due_renewals() == 0  # planned once
        assert renewals.count() == 1
        run_due_steps()
    renewal = Card.objects.get(renewal_of=card)
    assert renewal.national_id == card.national_id and renewal.ordered_through == "renouvellement"

    for elapsed in (timedelta(days=7, minutes=1), timedelta(days=10, minutes=2)):
        with _at(expiry - timedelta(days=29) + elapsed):
            run_due_steps()
    renewal.refresh_from_db()
    card.refresh_from_db()
    assert renewal.state == CardState.ACTIVE  # delivered with the same codes: nothing to activate
    assert renewal.pin_hash == card.pin_hash
    assert renewal.expires_at.year == expiry.year + 3  # three more years, no gap
    assert card.state == CardState.REPLACED
    history = [entry.act for entry in renewal.audit_trail().order_by("at")]
    assert history == ["order", "start_production", "ship", "deliver", "activate"]


@pytest.mark.rule("R-CRD-8")
def test_a_card_not_renewed_expires_after_three_years(ordered_card):
    card = _deliver(ordered_card)
    card = services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
    with _at(card.expires_at + timedelta(minutes=1)):
        run_due_steps()
    assert Card.objects.get(pk=card.pk).state == CardState.EXPIRED
