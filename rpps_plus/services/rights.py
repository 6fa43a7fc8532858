"""The RPPS+ right ("Mes Habilitations", R-RPP-4, R-RPP-5): the legal representative holds it by
default and grants it to staff holding a CPE (or CDE) of the EJ, on all its sites (centralised) or
on a list of sites (decentralised). Grants are RoleGrant rows of the kernel; withdrawing one (or
opposing the gestionnaire's card) stops him at his next act."""

from django.db import transaction

from contracts.models import Structure, StructureKind
from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput, PrerequisiteMissing
from esms_portal.core.tenant import legal_entity_of
from esms_portal.models import Role, RoleGrant
from esms_portal.workflow import audit

from ..permissions import holds_gestionnaire_card
from .registration import require_contract


def rpps_right_grant(*, actor, organisation: Structure, user, sites=()) -> RoleGrant:
    """Grant (or re-scope) the right; no site means every site of the EJ."""
    organisation = legal_entity_of(organisation)
    permissions.require(actor, "rpps.grant", organisation)
    require_contract(organisation)
    sites = list(sites)
    if any(site.legal_entity_id != organisation.pk or site.kind != StructureKind.EG for site in sites):
        raise InvalidInput("Choisissez des établissements de votre organisation.", details={"sites": ["Hors EJ."]})
    if not holds_gestionnaire_card(user, organisation.pk):
        raise PrerequisiteMissing(
            "Un gestionnaire RPPS+ doit être un personnel de la structure détenteur d'une carte CPE active "
            "(R-RPP-4) : commandez-lui une carte (F301) d'abord.",
            code="gestionnaire_card_required", details={"rule": "R-RPP-4"},
        )
    with transaction.atomic():
        grant, _ = RoleGrant.objects.get_or_create(
            user=user, role=Role.GESTIONNAIRE_RPPS, organisation=organisation, defaults={"granted_by": actor},
        )
        grant.sites.set(sites)
        audit.record(organisation, actor=actor, act="rpps_right_grant", snapshot={
            "user": user.email, "sites": [site.finess for site in sites] or "all",
        })
    return grant


def rpps_right_withdraw(*, actor, organisation: Structure, user) -> int:
    organisation = legal_entity_of(organisation)
    permissions.require(actor, "rpps.grant", organisation)
    with transaction.atomic():
        deleted, _ = RoleGrant.objects.filter(
            user=user, role=Role.GESTIONNAIRE_RPPS, organisation=organisation
        ).delete()
        if deleted:
            audit.record(organisation, actor=actor, act="rpps_right_withdraw", snapshot={"user": user.email})
    return deleted
