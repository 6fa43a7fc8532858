"""Reads of the cards pages, API and admin beyond cards.selectors: the organisations an agent may
pick, the card list without an organisation, the forms of an organisation (STYLE.md convention 8).
Which organisations a user acts for is the tenant's question (esms_portal.core.tenant)."""


from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from contracts.selectors import sites_of
from esms_portal.core import permissions, tenant
from esms_portal.workflow.declarations import form_types
from esms_portal.workflow.selectors import forms_for_user

from . import selectors
from .models import Card, TestCardOrder

EXPIRY_HORIZON_DAYS = 60


def organisations_with_cards(user):
    """The agents' organisation picker: the EJs `user` reaches that have cards, by name, with their
    count. Both are correlated subqueries on the fleet's index, evaluated for the rows of a page only:
    no count of every card of the country."""
    cards = Card.objects.filter(organisation=OuterRef("pk")).order_by()
    count = cards.values("organisation").annotate(total=Count("pk")).values("total")
    return tenant.organisations_for(user).filter(Exists(cards)).annotate(card_count=Subquery(count))


def card_list(user, *, organisation_id=None, state="", family="", holder="", expiring_days=None, own=False):
    """The cards `user` may see (his own only with `own`), filtered as the fleet page does, ordered."""
    cards = selectors.fleet(
        user, organisation_id, state=state, family=family, holder=holder, expiring_days=expiring_days
    )
    if own:
        cards = cards.filter(holder=user)
    return cards.select_related("organisation").order_by(*cards.model._meta.ordering, "pk")


# What the fleet page shows of a card (the keyset's ordering fields included).
FLEET_COLUMNS = ("holder_last_name", "holder_first_names", "created_at", "title", "is_test", "family", "national_id",
                 "state", "expires_at")


def fleet_rows(cards):
    """`card_list` narrowed to what the fleet page shows: its columns, and its establishments' names."""
    sites = Card.establishments.field.related_model.objects.only("name")
    return cards.select_related(None).prefetch_related(None).only(*FLEET_COLUMNS).prefetch_related(
        Prefetch("establishments", queryset=sites)
    )


def forms_of(user, organisation_id) -> list[tuple]:
    """The organisation's card forms, each type with its 50 most recent, one query each."""
    return [
        (form_type, list(forms_for_user(user, form_type).filter(organisation_id=organisation_id)[:50]))
        for form_type in form_types("cards")
    ]


def test_orders_for_user(user):
    """The test-card orders of the user's organisations (all for agents), and his own (R-CRD-14)."""
    orders = permissions.scope(TestCardOrder.objects.all(), user)
    if not permissions.is_agent(user):
        orders = TestCardOrder.objects.filter(Q(pk__in=orders.values("pk")) | Q(ordered_by=user))
    return orders.select_related("organisation", "ordered_by")


def test_card_organisation_for_request(user, pk=None):
    """The organisation an F414 page works on: the one asked for (404 out of reach), else the first."""
    organisations = selectors.test_card_organisations(user)
    if not pk:
        return organisations.first()
    try:
        return organisations.get(pk=pk)
    except (organisations.model.DoesNotExist, ValidationError, ValueError):
        raise Http404("Organisation introuvable.") from None


def test_order_get_for_user(user, pk) -> TestCardOrder:
    try:
        return test_orders_for_user(user).get(pk=pk)
    except (TestCardOrder.DoesNotExist, ValidationError, ValueError):
        raise Http404("Commande introuvable.") from None


def designee_cards(organisation):
    """Cards an F502 may name: the organisation's usable cards (R-CRD-4)."""
    return selectors.usable_cards().filter(organisation=organisation).select_related("holder").order_by(
        "holder_last_name", "holder_first_names", "pk"
    )


def organisation_sites(organisation):
    return sites_of(organisation)


def form_lines(order):
    return order.lines.prefetch_related("establishments").select_related("card")


def establishments_of(card):
    return card.establishments.all()


def renewal_of(card):
    """The card ordered to replace `card` at its expiry, if any (R-CRD-8)."""
    return getattr(card, "renewal", None)
