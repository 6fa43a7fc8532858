"""What the HTML pages share before they act: a right the user lacks is a plain 403 there (the API
answers the services' `forbidden_act`). Lists page by key: esms_portal.core.keyset."""

from django.core.exceptions import PermissionDenied

from esms_portal.core import permissions


def may_or_403(user, act: str, obj=None) -> None:
    """The page of `act` on `obj`, refused with a 403 to whom may not perform it (permissions.may)."""
    if not permissions.may(user, act, obj):
        raise PermissionDenied


def found_or_403(value):
    """`value`, or a 403 when the user has none (the organisation he would act for, say): the page is
    not for him."""
    if value is None:
        raise PermissionDenied
    return value
