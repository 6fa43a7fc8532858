from django.shortcuts import get_object_or_404

from esms_portal import permissions

from .models import Structure, StructureKind


def structures_for_user(user):
    return permissions.scope(Structure.objects.all(), user)


def structure_get_for_user(user, pk) -> Structure:
    """The structure `pk` if `user` may see it; 404 across organisations (STYLE.md convention 8)."""
    return get_object_or_404(structures_for_user(user), pk=pk)


def sites_of(structure: Structure):
    return Structure.objects.filter(legal_entity_id=structure.legal_entity_id, kind=StructureKind.EG)
