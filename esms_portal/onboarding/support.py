"""Small helpers the providers share: links that may not exist yet, expected dates from the delays."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from esms_portal.onboarding.milestones import Action
from esms_portal.steps.delays import delay


def link(label: str, url_name: str, *args, act: str = "", organisation=None) -> Action | None:
    """An action towards `url_name` (`?organisation=` for the pages that ask which EJ), or None
    while the app that serves it has no such page."""
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return None
    if organisation is not None:
        url += f"?{urlencode({'organisation': organisation})}"
    return Action(label=label, url=url, act=act)


def span(*delay_names: str) -> timedelta:
    """The documents' delays added up, upper bound when there is one, as the running profile sees
    them (compressed in the demo: a day becomes a minute at 1440x)."""
    total = timedelta()
    for name in delay_names:
        named = delay(name)
        total += named.deadline or named.due
    return total


def expected(start: datetime | None, *delay_names: str, paused: timedelta | None = None) -> datetime | None:
    if start is None:
        return None
    return start + (paused or timedelta()) + span(*delay_names)


def day(value) -> str:
    """A date as the pages write it (1 mars 2026), or "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


def full_name(user) -> str:
    if user is None:
        return ""
    name = f"{user.first_name} {user.last_name}".strip()
    return name or user.email
