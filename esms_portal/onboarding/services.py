"""The one act of the tracker: the legal representative or a mandataire declares what the portal
cannot observe (R-SOC-2, R-SOC-4, R-SOC-5, R-RPP-2). Audited like every act."""

from django.db import transaction

from esms_portal.core import permissions
from esms_portal.models import ServiceDeclaration
from esms_portal.workflow import audit

FIELDS = ("insi_by_certificate", "insi_self_homologation_on", "mssante_mode", "mssante_operator",
          "mssante_operator_kind", "operator_contract_on", "operator_annex1_on", "operator_annex2_on",
          "rpps_plus_needed")


def _snapshot(declaration: ServiceDeclaration) -> dict:
    snapshot = {name: getattr(declaration, name) for name in FIELDS}
    snapshot = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in snapshot.items()}
    snapshot["identity_qualifiers"] = sorted(str(pk) for pk in declaration.identity_qualifiers.values_list(
        "pk", flat=True))
    return snapshot


def declaration_update(*, actor, organisation, data: dict, identity_qualifiers=()) -> ServiceDeclaration:
    permissions.require(actor, "onboarding.declare", organisation)
    with transaction.atomic():
        declaration, _ = ServiceDeclaration.objects.select_for_update().get_or_create(organisation=organisation)
        for name in FIELDS:
            if name in data:
                setattr(declaration, name, data[name])
        if declaration.mssante_mode != "third_party":
            declaration.mssante_operator, declaration.mssante_operator_kind = "", ""
        declaration.updated_by = actor
        declaration.save()
        declaration.identity_qualifiers.set(identity_qualifiers)
        audit.record(declaration, actor=actor, act="declare", to_state="", snapshot=_snapshot(declaration))
    return declaration
