import threading

import pytest
from django.db import connection

from cards import selectors, services
from cards.models import Card, CardState
from esms_portal.auth import card_session
from esms_portal.core.errors import ActNotAllowed, ReasonRequired, StateConflict
from esms_portal.models import AuditEntry, Role, RoleGrant
from tests.factories import CardFactory, UserFactory


@pytest.fixture
def staff_card(alpha):
    return CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))


@pytest.mark.rule("R-CRD-11")
def test_an_opposed_card_can_no_longer_be_used_anywhere(alice, staff_card):
    assert selectors.card_is_usable(staff_card.pk)
    services.card_oppose(actor=alice, card=staff_card, reason="Départ de l'agent")
    staff_card.refresh_from_db()
    assert staff_card.state == CardState.OPPOSED and staff_card.ended_at
    assert not selectors.card_is_usable(staff_card.pk)
    assert not selectors.holds_active_card(staff_card.holder)
    assert card_session._card_usable(str(staff_card.pk)) is False  # a card login ends at the next request


@pytest.mark.rule("R-CRD-11")
def test_the_opposition_is_in_the_cards_history(alice, staff_card):
    services.card_oppose(actor=alice, card=staff_card, reason="Départ de l'agent")
    entry = AuditEntry.objects.get(object_id=str(staff_card.pk), act="oppose")
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        alice, "active", "opposed", "Départ de l'agent"
    )


def test_an_opposition_needs_a_reason(alice, staff_card):
    with pytest.raises(ReasonRequired):
        services.card_oppose(actor=alice, card=staff_card, reason=" ")


@pytest.mark.rule("R-CRD-5")
def test_a_mandataire_opposes_a_card(bob, staff_card):
    assert services.card_oppose(actor=bob, card=staff_card, reason="Départ").state == CardState.OPPOSED


def test_an_agent_opposes_any_card(ana, staff_card):
    assert services.card_oppose(actor=ana, card=staff_card, reason="Fraude").state == CardState.OPPOSED


def test_an_outsider_cannot_oppose(charlie, staff_card):
    with pytest.raises(ActNotAllowed):
        services.card_oppose(actor=charlie, card=staff_card, reason="Départ")


@pytest.mark.rule("R-CRD-9")
def test_a_cps_belongs_to_the_professional_not_the_establishment(alice, alpha):
    cps = CardFactory(active=True, organisation=alpha, family="CPS", national_id="899700218896")
    with pytest.raises(ActNotAllowed) as error:
        services.card_oppose(actor=alice, card=cps, reason="Départ")
    assert error.value.code == "card_belongs_to_professional"


@pytest.mark.rule("R-CRD-4")
def test_a_mandate_ends_when_its_holders_card_is_opposed(alice, alpha, staff_card):
    RoleGrant.objects.create(user=staff_card.holder, role=Role.MANDATAIRE, organisation=alpha)
    services.card_oppose(actor=alice, card=staff_card, reason="Départ de l'agent")
    assert not RoleGrant.objects.filter(user=staff_card.holder, role=Role.MANDATAIRE).exists()


def test_a_second_opposition_is_a_conflict(alice, staff_card):
    services.card_oppose(actor=alice, card=staff_card, reason="Départ")
    with pytest.raises(StateConflict):
        services.card_oppose(actor=alice, card=staff_card, reason="Départ")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_oppositions_at_once_make_one(alpha, alice, bob):
    card = CardFactory(active=True, organisation=alpha)
    outcomes, barrier = [], threading.Barrier(2)

    def oppose(actor):
        barrier.wait()
        try:
            services.card_oppose(actor=actor, card=card, reason=f"par {actor.email}")
            outcomes.append("opposed")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=oppose, args=(actor,)) for actor in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "opposed"]
    assert AuditEntry.objects.filter(object_id=str(card.pk), act="oppose").count() == 1
    assert Card.objects.get(pk=card.pk).state == CardState.OPPOSED
