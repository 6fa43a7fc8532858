"""Tenant-scoped reads of the cards app (STYLE.md convention 8), and the card facts other apps ask."""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from contracts.models import Structure, StructureKind
from esms_portal.core import permissions
from esms_portal.core.queries import narrow
from esms_portal.models import Role, RoleGrant

from .models import Card, CardFamily, CardIncident, CardState
from .models.card import DIRECTOR_FAMILIES


def usable_cards():
    """Cards that identify their holder now (active, unexpired, PIN not blocked, R-CRD-11)."""
    return Card.objects.usable()


def card_is_usable(card_id) -> bool:
    """The kernel's card-session check: an opposed card ends its card login at once."""
    return usable_cards().filter(pk=card_id).exists()


def active_card_of(user, *, organisation_id=None, families=None) -> Card | None:
    """The user's usable card (of one organisation, of some families), if any."""
    if not (user and getattr(user, "pk", None)):
        return None
    cards = usable_cards().filter(holder=user)
    if organisation_id is not None:
        cards = cards.filter(organisation_id=organisation_id)
    if families is not None:
        cards = cards.filter(family__in=families)
    return cards.order_by("-activated_at").first()


def holds_active_card(user, *, organisation_id=None, families=None) -> bool:
    return active_card_of(user, organisation_id=organisation_id, families=families) is not None


def may_use_ordering_service(user, organisation_id) -> bool:
    """R-CRD-6: ordering online needs a director's card (CDE, CDA; or the CPE R-CRD-2 accepts for a
    legal representative), or a valid card whose holder is mandataire of the organisation."""
    roles = set(
        RoleGrant.objects.filter(user=user, organisation_id=organisation_id).values_list("role", flat=True)
    )
    if Role.LEGAL_REPRESENTATIVE in roles:
        families = [*DIRECTOR_FAMILIES, CardFamily.CPE]
        return holds_active_card(user, organisation_id=organisation_id, families=families)
    return Role.MANDATAIRE in roles and holds_active_card(user, organisation_id=organisation_id)


def test_card_organisations(user):
    """The EJs whose test cards `user` may order (R-CRD-14; 004: « pour les cartes de test tout le monde
    peut en commander en utilisant le formulaire F414 »): those he holds a role on, and those whose
    card he holds (a staff member with his CPE and no role)."""
    held = Card.objects.held().filter(holder=user).values("organisation_id")
    return Structure.objects.filter(kind=StructureKind.EJ).filter(
        Q(pk__in=permissions.organisation_ids(user)) | Q(pk__in=held)
    ).order_by("name", "pk")


def may_order_test_cards(user, organisation) -> bool:
    """A role on the EJ (permissions' "f414.file"), or a card of it."""
    return permissions.may(user, "f414.file", organisation) or (
        Card.objects.held().filter(holder=user, organisation=organisation).exists()
    )


# Reads scoped to what the user may see.
def cards_for_user(user):
    """The fleets the user manages (legal representative, mandataire; all for agents), plus his own cards."""
    managed = permissions.scope(Card.objects.all(), user, roles=permissions.MANAGERS)
    if permissions.is_agent(user):
        return managed
    return Card.objects.filter(Q(pk__in=managed.values("pk")) | Q(holder=user))


def card_get_for_user(user, pk) -> Card:
    try:
        return cards_for_user(user).select_related("organisation", "holder", "renewal_of").get(pk=pk)
    except (Card.DoesNotExist, ValueError):
        raise Http404("Carte introuvable.") from None


def fleet(user, organisation_id=None, *, state="", family="", holder="", expiring_days=None):
    """A card fleet with the page's filters (one organisation's, or all the user may see), in a
    constant number of queries."""
    cards = narrow(cards_for_user(user).select_related("holder"), organisation_id=organisation_id, state=state,
                   family=family)
    if holder:
        cards = cards.filter(
            Q(holder_last_name__icontains=holder) | Q(holder_first_names__icontains=holder)
            | Q(national_id__icontains=holder)
        )
    if expiring_days is not None:
        cards = cards.filter(state=CardState.ACTIVE, expires_at__lte=timezone.now() + timedelta(days=expiring_days))
    return cards.prefetch_related("establishments")


def incidents_of(card: Card):
    return CardIncident.objects.filter(card=card).select_related("declared_by", "replacement")
