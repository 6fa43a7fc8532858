"""What the HTML pages share before they act: a right the user lacks is a plain 403 there (the API
answers the services' `forbidden_act`); the page number of a list, the API's included."""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404

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


# Beyond it a page number is no page of any list here, and its OFFSET would overflow the database's
# integers (a 500): it is refused before the query.
MAX_PAGE = 10_000
_PAGE = re.compile(r"[0-9]{1,6}")


def page_number(value) -> int:
    """The page a query string asks for (1 when absent); a 404 for anything but an integer from 1 to
    MAX_PAGE, as for a page past the end."""
    if value in (None, ""):
        return 1
    if not _PAGE.fullmatch(str(value)) or not 1 <= int(value) <= MAX_PAGE:
        raise Http404("Page introuvable.")
    return int(value)
