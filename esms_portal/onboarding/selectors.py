"""Tenant-scoped reads of the tracker (STYLE.md convention 8)."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from esms_portal.core import permissions
from esms_portal.models import RoleGrant


def organisation_get_for_user(user, pk):
    """The EJ `pk` (or the EJ of the site `pk`) if `user` may follow its onboarding; 404 otherwise."""
    structure = apps.get_model(settings.PORTAL_STRUCTURE_MODEL)
    try:
        found = permissions.scope(structure.objects.all(), user).select_related("legal_entity").get(pk=pk)
    except (structure.DoesNotExist, ValueError):
        raise Http404("Organisation introuvable.") from None
    if not permissions.may(user, "onboarding.view", found):
        raise Http404("Organisation introuvable.")
    return found.legal_entity


def qualifier_candidates(organisation, timeline):
    """Who may be declared as qualifying identities: the EJ's members, its card holders, and those
    already declared."""
    holders = {card[0] for card in timeline.facts.get("usable_cards", [])}
    declared = timeline.declaration.identity_qualifiers.all() if timeline.declaration else []
    members = RoleGrant.objects.filter(organisation=organisation).values("user_id")
    return get_user_model().objects.filter(
        Q(pk__in=members) | Q(pk__in=holders) | Q(pk__in=[u.pk for u in declared])
    ).order_by("last_name", "first_name")
