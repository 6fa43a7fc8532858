"""Tenant-scoped reads of the tracker (STYLE.md convention 8)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from esms_portal.core import permissions, tenant
from esms_portal.models import RoleGrant


def onboarding_organisation_get(user, pk):
    """The EJ `pk`, or the EJ of the site `pk`, if `user` may follow its onboarding; 404 otherwise."""
    organisation = tenant.organisation_get_for(user, _legal_entity_id(pk))
    if not permissions.may(user, "onboarding.view", organisation):
        raise Http404("Organisation introuvable.")
    return organisation


def _legal_entity_id(pk):
    # A site's pk leads to its EJ's timeline.
    return tenant.structure_model().objects.filter(pk=pk).values_list("legal_entity_id", flat=True).first()


def qualifier_candidates(organisation, timeline):
    """Who may be declared as qualifying identities: the EJ's members, its card holders, and those
    already declared."""
    declared = timeline.declaration.identity_qualifiers.all() if timeline.declaration else []
    members = RoleGrant.objects.filter(organisation=organisation, user__is_program=False).values("user_id")
    chosen = Q(pk__in=members) | Q(pk__in=[u.pk for u in declared])
    if holders_of := timeline.facts.get("usable_card_holders"):  # a subquery: an EJ may hold thousands of cards
        chosen |= Q(pk__in=holders_of(organisation.pk))
    return get_user_model().objects.filter(chosen).order_by("last_name", "first_name")
