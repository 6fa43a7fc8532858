"""The named delays of the ANS process (settings.PORTAL_DELAYS), compressed for the demo."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class Delay:
    due: timedelta
    deadline: timedelta | None = None


def compression() -> float:
    return settings.PORTAL_TIME_COMPRESSION


def delay(name: str) -> Delay:
    """The delay `name` as the running profile sees it: a 60x demo turns 30 min into 30 s."""
    try:
        due, deadline = settings.PORTAL_DELAYS[name]
    except KeyError:
        raise ValueError(f"unknown delay {name!r}: add it to settings.PORTAL_DELAYS") from None
    factor = compression()
    return Delay(due / factor, deadline / factor if deadline is not None else None)
