"""The tenant: which organisations (EJ) a user acts for, and the EJ of a structure.

Every view, API and selector asks these two questions here (STYLE.md convention 8). The kernel
reaches the structure model through `PORTAL_STRUCTURE_MODEL` (the FINESS import lives in contracts).
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404

from esms_portal.core import permissions
from esms_portal.models import RoleGrant

LEGAL_ENTITY = "EJ"


def structure_model():
    return apps.get_model(settings.PORTAL_STRUCTURE_MODEL)


def legal_entity_of(structure):
    """The EJ of a structure: itself for an EJ, its organisme gestionnaire for a site."""
    if structure.legal_entity_id in (None, structure.pk):
        return structure  # an EJ is its own legal entity: no query for it
    return structure.legal_entity


def organisations_for(user, *, roles=None):
    """EJs on which `user` holds one of `roles` (any role when None), by name; every EJ for an agent."""
    ejs = structure_model().objects.filter(kind=LEGAL_ENTITY).order_by("name", "pk")
    if permissions.is_agent(user):
        return ejs
    return ejs.filter(pk__in=permissions.organisation_ids(user, roles))


def organisation_get_for(user, pk, *, roles=None):
    """The EJ `pk` if `user` acts for it (with one of `roles`); 404 otherwise, never its data."""
    try:
        return organisations_for(user, roles=roles).get(pk=pk)
    except (structure_model().DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("Organisation introuvable.") from None


def organisation_for_request(user, pk=None, *, roles=None):
    """The organisation a page works on: the one asked for (404 if out of reach), else the user's
    first one; None for an agent who has not picked one yet, or a user without any."""
    if pk:
        return organisation_get_for(user, pk, roles=roles)
    if permissions.is_agent(user):
        return None
    return organisations_for(user, roles=roles).first()


def first_organisation_id(user, *, roles=None):
    """The EJ of the user's earliest role (one of `roles`, any when None): where his home page leads."""
    grants = RoleGrant.objects.filter(user=user)
    if roles is not None:
        grants = grants.filter(role__in=roles)
    return grants.order_by("granted_at", "pk").values_list("organisation_id", flat=True).first()


def structures_of_national_id(national_id: str):
    """The structures an idNat_Struct names (the OU of an organisation certificate: « 1 » + FINESS of
    an EJ or a site, « 3 » + SIRET), an EJ first; none for another kind of identifier."""
    kind, number = national_id[:1], national_id[1:]
    structures = structure_model().objects.all()
    if kind == "1" and number:
        return structures.filter(finess=number)
    if kind == "3" and number:
        # A SIRET may be shared by an EJ and its sites: the EJ first.
        return structures.filter(siret=number).order_by(
            models.Case(models.When(kind=LEGAL_ENTITY, then=0), default=1), "pk"
        )
    return structures.none()


def organisation_of_national_id(national_id: str):
    """The EJ an idNat_Struct names; None when the portal knows no such structure."""
    structure = structures_of_national_id(national_id).select_related("legal_entity").first()
    return None if structure is None else legal_entity_of(structure)


def legal_entity_ids_of_national_id(national_id: str):
    """The same EJ's id as a one-row subquery (an EJ may have no `legal_entity` of its own)."""
    return structures_of_national_id(national_id).annotate(
        entity=Coalesce("legal_entity_id", "pk")
    ).values("entity")[:1]
