"""Incidents handled at once (F501 lost or stolen card, lost codes; F504 delivery address) and
test-card orders (F414), which need no instruction (R-CRD-12, R-CRD-14)."""

from django.db import transaction

from contracts.models import Structure
from esms_portal.core import permissions, tenant
from esms_portal.core.errors import InvalidInput
from esms_portal.core.notify import mail_on_commit
from esms_portal.workflow.requests import perform_act, record_creation

from .. import selectors
from ..models import Card, CardFamily, CardIncident, CardState, IncidentKind, TestCardOrder
from .cards import card_oppose, card_order

NOT_YET_SHIPPED = (CardState.ORDERED, CardState.IN_PRODUCTION)


def _may_declare(actor, card: Card) -> bool:
    # The holder declares his own card lost; the organisation's managers any card (R-CRD-5).
    return card.holder_id == getattr(actor, "pk", None) or permissions.may(actor, "card.incident", card)


def card_declare_incident(*, actor, card: Card, kind: str, new_address: str = "") -> CardIncident:
    if not _may_declare(actor, card):
        raise permissions.ActNotAllowed()
    if kind not in IncidentKind.values:
        raise InvalidInput("Choisissez le type d'incident.", code="invalid_incident")
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card.pk)
        incident = CardIncident(card=card, kind=kind, declared_by=actor)
        if kind in (IncidentKind.LOST, IncidentKind.STOLEN):
            incident.replacement = _replace_lost(actor, card, kind)
        elif kind == IncidentKind.PIN_LOST:
            _reissue_codes(actor, card)
        else:
            incident.new_address = _change_address(actor, card, new_address)
        incident.save()
    return incident


def _replace_lost(actor, card: Card, kind: str) -> Card:
    """A lost or stolen card is opposed at once and a new card ordered, same identifier (F501)."""
    if card.state not in (CardState.DELIVERED, CardState.ACTIVE, CardState.SHIPPED):
        raise InvalidInput("Seule une carte expédiée, livrée ou active peut être déclarée perdue ou volée.",
                           code="card_not_in_use")
    reason = "Carte volée" if kind == IncidentKind.STOLEN else "Carte perdue"
    card_oppose(actor=permissions.SYSTEM if card.holder_id == actor.pk else actor, card=card, reason=reason)
    return card_order(
        actor=actor, organisation=card.organisation, holder=card.holder, family=card.family,
        last_name=card.holder_last_name, first_names=card.holder_first_names, title=card.title,
        establishments=list(card.establishments.all()), ordered_through="F501",
        delivery_address=card.delivery_address, is_test=card.is_test, national_id=card.national_id,
        make_mandataire=False,
    )


def _reissue_codes(actor, card: Card) -> None:
    """Lost codes or a blocked card (R-CRD-12): new codes are sent; the holder chooses a new PIN
    through the activation page again (the card goes back to `delivered`)."""
    if card.state != CardState.ACTIVE:
        raise InvalidInput("Seule une carte active peut recevoir de nouveaux codes.", code="card_not_active")
    perform_act(Card, card.pk, "reset_codes", actor=permissions.SYSTEM)
    mail_on_commit(
        to=[card.holder.email], subject="Nouveaux codes de votre carte CPx", template="cards/mail/new_codes.txt",
        context={"card": card},
    )


def _change_address(actor, card: Card, new_address: str) -> str:
    """F504: only a card not yet shipped can still go elsewhere."""
    if not new_address.strip():
        raise InvalidInput("Indiquez la nouvelle adresse de livraison.", code="delivery_address_required")
    if card.state not in NOT_YET_SHIPPED:
        raise InvalidInput("La carte est déjà expédiée : son adresse ne peut plus changer.", code="already_shipped")
    card.delivery_address = new_address.strip()
    card.save(update_fields=["delivery_address", "updated_at"])
    return card.delivery_address


def f414_order(*, actor, organisation: Structure, family: str, quantity: int, delivery_address: str) -> TestCardOrder:
    """F414: test cards, by anyone of the organisation (a role or a card of it), no mandataire needed
    (R-CRD-14); produced like any card, held by who ordered them."""
    organisation = tenant.legal_entity_of(organisation)
    if not selectors.may_order_test_cards(actor, organisation):
        raise permissions.ActNotAllowed()
    if family not in CardFamily.values:
        raise InvalidInput("Choisissez un type de carte.", code="invalid_family")
    if not 1 <= int(quantity) <= 20:
        raise InvalidInput("Commandez de 1 à 20 cartes de test.", code="invalid_quantity")
    if not delivery_address.strip():
        raise InvalidInput("Indiquez l'adresse de livraison.", code="delivery_address_required")
    with transaction.atomic():
        order = TestCardOrder.objects.create(
            organisation=organisation, ordered_by=actor, family=family, quantity=quantity,
            delivery_address=delivery_address.strip(),
        )
        record_creation(order, actor=actor, act="order")
        for number in range(1, int(quantity) + 1):
            card_order(
                actor=actor, organisation=organisation, holder=actor, family=family,
                last_name="TEST", first_names=f"Carte {number}", title="Carte de test",
                ordered_through="F414", delivery_address=order.delivery_address, is_test=True,
            )
    return order
