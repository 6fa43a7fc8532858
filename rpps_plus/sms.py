"""SMS through a pluggable backend (settings.PORTAL_SMS_BACKEND), sent after commit like mail.

A backend is a class with `send(to: str, text: str)`. The console backend writes to the log (demo);
the memory one keeps an outbox for tests. A real operator's gateway is one more class.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    def send(self, to: str, text: str) -> None:
        logger.warning("SMS à %s : %s", to, text)
        print(f"[SMS à {to}] {text}", flush=True)  # noqa: T201 (the demo's visible channel)


class LocmemSmsBackend:
    outbox: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((to, text))


def sms_on_commit(*, to: str, text: str) -> None:
    """Send once the current transaction commits; a failing gateway is logged, never an error."""

    def send():
        try:
            import_string(settings.PORTAL_SMS_BACKEND)().send(to, text)
        except Exception:
            logger.exception("SMS to %s failed", to)

    if to:
        transaction.on_commit(send)
