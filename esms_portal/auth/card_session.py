"""The card-authenticated state of a session (R-RPP-6, R-CER-4).

A password login opens a plain session; a CPx card login (cards app) marks it card-authenticated.
Acts listed in `permissions.CARD_ACTS` need that mark when `PORTAL_CARD_LOGIN_REQUIRED` is on (the
default outside DEBUG). The kernel cannot import the cards app, so the cards app declares in its
`portal.py` the function that says whether a card may still be used (an opposed card ends the state
at once).
"""

import time

from django.conf import settings
from django.utils.module_loading import import_string

from esms_portal.core.extensions import extensions

SESSION_KEY = "portal_card"


def _card_usable(card_id: str) -> bool:
    """The declared card check: False once the card is opposed, expired... (False without one)."""
    checks = [extension.card_check for extension in extensions() if extension.card_check is not None]
    return bool(checks) and all(check(card_id) for check in checks)


def mark_card_authenticated(request, *, card_id: str, national_id: str, presence: dict | None = None,
                            **extra) -> None:
    """`presence`, when given, names a function by dotted path (like Django's session backend path)
    called with that dict at each request: False when the card has left its reader (the portal's
    own reader); `extra` is kept in the mark (login id, mode) for the cards app."""
    request.session[SESSION_KEY] = {
        "card": str(card_id), "national_id": national_id, "seen": time.time(), "presence": presence, **extra,
    }


def _still_present(mark: dict) -> bool:
    presence = mark.get("presence")
    return not presence or bool(import_string(presence["check"])(presence))


def end_card_session(request) -> None:
    request.session.pop(SESSION_KEY, None)


def card_of_session(request) -> dict | None:
    """The session's card mark if still valid (idle timeout, card usable), refreshing its idle clock."""
    mark = request.session.get(SESSION_KEY)
    if not mark:
        return None
    idle = time.time() - mark.get("seen", 0)
    usable = _card_usable(mark["card"])
    if idle > settings.PORTAL_CARD_SESSION_IDLE_SECONDS or not usable or not _still_present(mark):
        end_card_session(request)
        return None
    if idle > 30:  # refresh at most every 30 s: no session write on every request
        request.session[SESSION_KEY] = {**mark, "seen": time.time()}
    return mark


def card_authenticated(user) -> bool:
    return bool(getattr(user, "card_authenticated", False))


class CardSessionMiddleware:
    """Puts `card_authenticated` (and the card's id) on `request.user` for the permission checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark = card_of_session(request)
            user.card_authenticated = mark is not None
            user.card_id = mark["card"] if mark else None
        return self.get_response(request)
