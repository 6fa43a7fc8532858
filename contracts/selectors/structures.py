from django.db.models import Q
from django.shortcuts import get_object_or_404

from esms_portal.core import permissions, tenant
from esms_portal.models import Role

from ..models import AnomalyReport, Structure, StructureKind

SIGNERS = [Role.LEGAL_REPRESENTATIVE]


def structures_for_user(user):
    return permissions.scope(Structure.objects.all(), user)


def represented_organisation(user) -> Structure | None:
    """The EJ whose contract `user` signs as its legal representative (R-CON-4), the first by FINESS
    number; None when he represents none. The tenant gives an agent every EJ: only his own grants
    count here, agents instruct contracts and do not sign them."""
    ejs = tenant.organisations_for(user, roles=SIGNERS)
    if permissions.is_agent(user):
        ejs = ejs.filter(pk__in=permissions.organisation_ids(user, SIGNERS))
    return ejs.order_by("finess").first()


def structure_get_for_user(user, pk) -> Structure:
    """The structure `pk` if `user` may see it; 404 across organisations (STYLE.md convention 8)."""
    return get_object_or_404(structures_for_user(user).select_related("legal_entity"), pk=pk)


def structure_list(*, user, filters: dict | None = None):
    """Structures `user` may see, filtered by already validated `filters` (web search and API)."""
    filters = filters or {}
    queryset = structures_for_user(user).select_related("legal_entity")
    exact = {
        "finess": "finess",
        "siret": "siret",
        "legal_entity": "legal_entity_id",
        "ej_finess": "legal_entity__finess",
        "kind": "kind",
    }
    for key, lookup in exact.items():
        if filters.get(key):
            queryset = queryset.filter(**{lookup: filters[key]})
    if filters.get("finess_prefix"):
        queryset = queryset.filter(finess__startswith=filters["finess_prefix"])
    if filters.get("q"):
        name = filters["q"]
        queryset = queryset.filter(Q(name__icontains=name) | Q(long_name__icontains=name))
    # A total order, so that pages never overlap (FINESS may be null: SIRET-only structures). Every
    # legal_entity is an EJ: saying so lets the EJs be read in name order from structure_kind_name.
    queryset = queryset.filter(legal_entity__kind=StructureKind.EJ)
    return queryset.order_by("legal_entity__name", "legal_entity_id", "-kind", "name", "id")


def sites_of(structure: Structure):
    sites = Structure.objects.filter(kind=StructureKind.EG, legal_entity_id=structure.legal_entity_id)
    return sites.order_by("name", "id")


def anomaly_reports_of(structure: Structure):
    """Reports on a structure, or on every site of an EJ, most recent first."""
    reports = AnomalyReport.objects.select_related("structure", "reported_by")
    if structure.is_legal_entity:
        return reports.filter(legal_entity_id=structure.pk)
    return reports.filter(structure_id=structure.pk)
