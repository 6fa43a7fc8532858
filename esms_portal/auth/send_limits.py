"""How many mails and SMS an anonymous request may make the portal send (django-ratelimit).

A code or a link costs a message to a third party: without a limit, anyone could flood a mailbox or
a phone from the portal. Each sending endpoint names its group and the recipients (email, mobile
number) of the message; it is counted per recipient and per client address (`client_address`), per
hour and per day. A refused request is not counted against the recipient (a stranger cannot use up
the owner's own requests) and must store nothing.
"""

from django_ratelimit.core import get_usage

from esms_portal.core.client import client_address
from esms_portal.core.errors import PortalError

PER_RECIPIENT = ("3/h", "10/d")  # messages to one email or one mobile number
PER_ADDRESS = ("10/h", "30/d")  # messages asked from one client address
LOCKOUT_MAILS_PER_ACCOUNT = "1/h"  # "your login is locked" mails to one account (esms_portal/auth/lockout.py)


class TooManyMessages(PortalError, code="too_many_messages", status=429,
                      message="Trop de demandes d'envoi de code ou de courriel : réessayez dans une heure."):
    pass


def _count(request, group: str, value: str, rate: str, *, increment: bool) -> dict:
    return get_usage(request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment)


def _full(request, group: str, value: str, rate: str) -> bool:
    """The limit is reached: one more message would pass it (the cache unreachable counts as full)."""
    usage = _count(request, group, value, rate, increment=False)
    return usage["should_limit"] or usage["count"] >= usage["limit"]


def check_and_count(request, *, group: str, recipients: list[str]) -> None:
    """Counts one message of `group` to `recipients` asked by this request; raises TooManyMessages,
    counting nothing, when one of the limits is reached."""
    keys = [(f"{group}:to", recipient.strip().lower(), rate) for recipient in recipients if recipient
            for rate in PER_RECIPIENT]
    keys += [(f"{group}:from", client_address(request), rate) for rate in PER_ADDRESS]
    if any(_full(request, name, value, rate) for name, value, rate in keys):
        raise TooManyMessages()
    for name, value, rate in keys:
        _count(request, name, value, rate, increment=True)


def lockout_mail_allowed(email: str) -> bool:
    """At most one lockout mail an hour to an account, however many addresses lock it."""
    return not _count(None, "lockout-mail", email.lower(), LOCKOUT_MAILS_PER_ACCOUNT, increment=True)["should_limit"]
