"""What the HTML pages share before they act: a right the user lacks is a plain 403 there (the API
answers the services' `forbidden_act`)."""

from django.core.exceptions import PermissionDenied

from esms_portal.core import permissions


def may_or_403(user, act: str, obj=None) -> None:
    """The page of `act` on `obj`, refused with a 403 to whom may not perform it (permissions.may)."""
    if not permissions.may(user, act, obj):
        raise PermissionDenied
