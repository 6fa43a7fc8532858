"""The card lifecycle: order, production and delivery on timed steps (R-CRD-7), activation with a
PIN chosen by the holder, opposition (R-CRD-11), expiry and automatic renewal (R-CRD-8)."""

import re
from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from contracts.models import Structure
from esms_portal.core import permissions
from esms_portal.core.accounts import password_link
from esms_portal.core.errors import InvalidInput, PortalError, WrongPin
from esms_portal.core.notify import mail_on_commit
from esms_portal.core.permissions import SYSTEM
from esms_portal.models import Role, RoleGrant
from esms_portal.steps import cancel_steps, schedule_step
from esms_portal.steps.bulk import schedule_steps_bulk
from esms_portal.steps.delays import delay as named_delay
from esms_portal.workflow import audit
from esms_portal.workflow.requests import perform_act, record_creation

from ..models import Card, CardFamily, CardState
from ..models.card import PIN_TRIES, USABLE_CARD_STATES
from .chip import issue_chip, revoke_chip

CARD_VALIDITY_YEARS = 3  # R-CRD-8
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
PERSONAL_FAMILIES = (CardFamily.CPS, CardFamily.CPF)  # R-CRD-9


class CardBlocked(PortalError, code="card_blocked", status=403,
                  message="Carte bloquée après trois codes erronés : déclarez un incident (F501) pour recevoir "
                          "de nouveaux codes."):
    pass


def validate_pin(pin: str) -> None:
    """A CPx PIN: 4 to 8 digits, not one repeated digit nor a plain sequence."""
    if not PIN_PATTERN.match(pin or ""):
        raise InvalidInput("Le code porteur doit comporter de 4 à 8 chiffres.", code="invalid_pin")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise InvalidInput("Ce code porteur est trop simple : évitez les suites et les chiffres répétés.",
                           code="weak_pin")


def _registry_prefix(organisation: Structure, *, is_test: bool) -> str:
    # idNat_PS of structure staff: "3" + FINESS, or "5" + SIRET without FINESS (REFERENCE.md §3).
    base = f"3{organisation.finess}" if organisation.finess else f"5{organisation.siret}"
    return f"{base}/{'TST' if is_test else ''}"


def _next_national_id(organisation: Structure, family: str, *, is_test: bool) -> str:
    # Called with the organisation row locked: two orders never draw the same number.
    prefix = f"{_registry_prefix(organisation, is_test=is_test)}{family}T"
    taken = Card.objects.filter(national_id__startswith=prefix).values("national_id").distinct().count()
    return f"{prefix}{taken + 1:05d}"


def card_order(
    *, actor, organisation: Structure, holder, family: str, last_name: str, first_names: str,
    ordered_through: str, title: str = "", establishments=(), delivery_address: str = "",
    make_mandataire: bool = False, is_test: bool = False, national_id: str = "", renewal_of: Card | None = None,
) -> Card:
    """Create an ordered card and plan its production (inside the accepting act's transaction)."""
    with transaction.atomic():
        locked = Structure.objects.select_for_update().get(pk=organisation.pk)
        card = Card.objects.create(
            family=family, is_test=is_test, holder=holder, holder_last_name=last_name,
            holder_first_names=first_names, title=title, organisation=locked,
            national_id=national_id or _next_national_id(locked, family, is_test=is_test),
            ordered_through=ordered_through, delivery_address=delivery_address,
            make_mandataire=make_mandataire, renewal_of=renewal_of,
        )
        card.establishments.set(establishments or [locked])
        record_creation(card, actor=actor, act="order")
        schedule_step("cards.start_production", card, due_at=timezone.now())
    return card


def _system_act(card_id, act: str, *, expected_state: str):
    return perform_act(Card, card_id, act, actor=SYSTEM, expected_state=expected_state).request


def card_start_production(card_id) -> Card:
    """Timed step: production starts, the card's authentication certificate is issued."""
    card = _system_act(card_id, "start_production", expected_state=CardState.ORDERED)
    issue_chip(card)
    schedule_step("cards.ship", card, delay="card_production")
    return card


def card_ship(card_id) -> Card:
    card = _system_act(card_id, "ship", expected_state=CardState.IN_PRODUCTION)
    schedule_step("cards.deliver", card, delay="card_shipping")
    return card


def card_deliver(card_id) -> Card:
    """Timed step: the card reaches its holder; a renewal card carries the old codes (R-CRD-8)."""
    card = _system_act(card_id, "deliver", expected_state=CardState.SHIPPED)
    if card.renewal_of_id:
        previous = Card.objects.get(pk=card.renewal_of_id)
        card = perform_act(Card, card.pk, "activate", actor=card.holder, pin_hash=previous.pin_hash).request
        _start_validity(card)
        if previous.state in (CardState.ACTIVE, CardState.DELIVERED):
            perform_act(Card, previous.pk, "replace", actor=SYSTEM)
            cancel_steps(previous)  # its expiry step: the card is replaced, not expired
    mail_on_commit(
        to=[card.holder.email], subject="Votre carte CPx est livrée", template="cards/mail/delivered.txt",
        context={"card": card, "password_link": password_link(card.holder)},
    )
    return card


def _validity_end(start: datetime) -> datetime:
    try:
        return start.replace(year=start.year + CARD_VALIDITY_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + CARD_VALIDITY_YEARS, day=28)


def card_activate(*, actor, card: Card, pin: str, pin_confirmation: str) -> Card:
    """The holder chooses his codes; only their hash is kept. Valid 3 years from then (R-CRD-8)."""
    validate_pin(pin)
    if pin != pin_confirmation:
        raise InvalidInput("Les deux saisies du code porteur diffèrent.", code="pin_mismatch")
    with transaction.atomic():
        card = perform_act(Card, card.pk, "activate", actor=actor, expected_state=CardState.DELIVERED,
                           pin_hash=make_password(pin)).request
        _start_validity(card)
    return card


def _start_validity(card: Card) -> None:
    now = timezone.now()
    card.valid_from = now
    # A renewal card continues the previous one: three more years from its end (R-CRD-8).
    card.expires_at = _validity_end(card.renewal_of.expires_at if card.renewal_of_id else now)
    card.save(update_fields=["valid_from", "expires_at", "updated_at"])
    if card.make_mandataire:  # designated in the F301 (R-CRD-3): the mandate starts with the card
        RoleGrant.objects.get_or_create(user=card.holder, role=Role.MANDATAIRE, organisation=card.organisation)
    schedule_step("cards.expire", card, due_at=card.expires_at)


def card_verify_pin(*, card_id, pin: str) -> Card:
    """VERIFY as the card does it: three wrong codes block the card (63Cx, then blocked)."""
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card_id)
        if card.pin_tries_left == 0:
            raise CardBlocked()
        if card.state not in USABLE_CARD_STATES and card.state != CardState.DELIVERED:
            raise InvalidInput("Cette carte n'est pas utilisable.", code="card_not_usable")
        if check_password(pin, card.pin_hash):
            if card.pin_tries_left != PIN_TRIES:
                card.pin_tries_left = PIN_TRIES
                card.save(update_fields=["pin_tries_left"])
            return card
        card.pin_tries_left -= 1
        card.save(update_fields=["pin_tries_left"])
    if card.pin_tries_left == 0:
        raise CardBlocked()
    raise WrongPin(card.pin_tries_left)


def card_oppose(*, actor, card: Card, reason: str) -> Card:
    """Opposition, effective at once everywhere (R-CRD-11): the card login ends at the next request,
    its certificate is revoked, a mandate held through it ends (R-CRD-4), its renewal is cancelled."""
    permissions.require(actor, "card.oppose", card)
    if card.family in PERSONAL_FAMILIES and not permissions.is_agent(actor) and card.holder_id != actor.pk:
        raise permissions.ActNotAllowed(
            "Une carte CPS ou CPF appartient au professionnel, pas à l'établissement : lui seul ou l'ANS "
            "peut y faire opposition.", code="card_belongs_to_professional",
        )
    with transaction.atomic():
        card = perform_act(Card, card.pk, "oppose", actor=actor, reason=reason, motive=reason).request
        _end_card(card, reason=reason)
    return card


def _end_card(card: Card, *, reason: str) -> None:
    cancel_steps(card)
    revoke_chip(card, reason=reason)
    still_carded = Card.objects.filter(
        holder=card.holder, organisation=card.organisation, state__in=USABLE_CARD_STATES
    ).exclude(pk=card.pk).exists()
    if not still_carded:
        RoleGrant.objects.filter(user=card.holder, organisation=card.organisation, role=Role.MANDATAIRE).delete()
    renewal = getattr(card, "renewal", None)
    if renewal is not None and renewal.state in (CardState.ORDERED, CardState.IN_PRODUCTION, CardState.SHIPPED):
        perform_act(Card, renewal.pk, "oppose", actor=SYSTEM, reason=reason, motive=reason)
        cancel_steps(renewal)


def card_expire(card_id) -> Card | None:
    """Timed step at the end of validity: a card already renewed was replaced, nothing to do."""
    card = Card.objects.get(pk=card_id)
    if card.state not in (CardState.ACTIVE, CardState.DELIVERED):
        return None
    card = perform_act(Card, card.pk, "expire", actor=SYSTEM).request
    _end_card(card, reason="Fin de validité")
    return card


def card_renew(card_id) -> Card | None:
    """Timed step one month before expiry: order the renewal card, same holder and codes (R-CRD-8)."""
    card = Card.objects.select_related("holder", "organisation").get(pk=card_id)
    if card.state != CardState.ACTIVE or hasattr(card, "renewal"):
        return None  # opposed meanwhile, or renewed already: idempotent
    renewal = card_order(
        actor=SYSTEM, organisation=card.organisation, holder=card.holder, family=card.family,
        last_name=card.holder_last_name, first_names=card.holder_first_names, title=card.title,
        establishments=list(card.establishments.all()), ordered_through="renouvellement",
        delivery_address=card.delivery_address, is_test=card.is_test, national_id=card.national_id,
        renewal_of=card,
    )
    mail_on_commit(
        to=[card.holder.email], subject="Votre carte CPx est renouvelée", template="cards/mail/renewed.txt",
        context={"card": card, "renewal": renewal},
    )
    return renewal


def schedule_due_renewals(*, now: datetime | None = None, batch: int = 2000) -> int:
    """The renewal sweep: plan once the renewal of every active card expiring within the month."""
    now = now or timezone.now()
    horizon = now + named_delay("card_renewal").due
    due = (
        Card.objects.filter(state=CardState.ACTIVE, expires_at__lte=horizon, renewal__isnull=True)
        .order_by("expires_at").values_list("pk", "expires_at")
    )
    planned = 0
    chunk: list = []
    for pk, expires_at in due.iterator(chunk_size=batch):
        chunk.append((pk, max(now, expires_at - named_delay("card_renewal").due)))
        if len(chunk) == batch:
            planned += schedule_steps_bulk("cards.renew", Card, chunk)
            chunk = []
    if chunk:
        planned += schedule_steps_bulk("cards.renew", Card, chunk)
    return planned


def card_update_holder(*, actor, card: Card, last_name: str, first_names: str, title: str) -> Card:
    """R-CRD-5: a mandataire (or the legal representative) updates the holder's data."""
    permissions.require(actor, "card.update_holder", card)
    if not (last_name.strip() and first_names.strip()):
        raise InvalidInput("Le nom et les prénoms du porteur sont obligatoires.", code="holder_name_required")
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card.pk)
        card.holder_last_name, card.holder_first_names, card.title = last_name.strip(), first_names.strip(), title
        card.save(update_fields=["holder_last_name", "holder_first_names", "title", "updated_at"])
        # An edit, not a creation: the card stays in its state (the row says so, from and to).
        audit.record(card, actor=actor, act="update_holder", from_state=card.state, to_state=card.state)
    return card


def renewal_due_at(card: Card) -> datetime | None:
    return card.expires_at - named_delay("card_renewal").due if card.expires_at else None

