"""Tenant-scoped reads of the declared forms (STYLE.md convention 8), for every app's views and API."""

from django.http import Http404

from esms_portal.core import permissions


def forms_for_user(user, request_type):
    """The forms of one type on the organisations where `user` may read them (all for agents)."""
    forms = permissions.scope_for_act(request_type.model.objects.all(), user, request_type.view_act)
    return forms.select_related("organisation", "filed_by", "agent")


def form_get_for_user(user, request_type, pk):
    """One form `user` may read; 404 across organisations, never its data."""
    try:
        return forms_for_user(user, request_type).get(pk=pk)
    except (request_type.model.DoesNotExist, ValueError):
        raise Http404("Formulaire introuvable.") from None
