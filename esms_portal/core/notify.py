"""Mail to users, always after commit: a rolled-back decision never sends a message, and a mail
that fails is logged, never turned into an error for an act that is already saved."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def mail_on_commit(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `template` (plain text, French) and send it once the current transaction commits."""
    # A `.invalid` domain (RFC 2606) can receive nothing: the program accounts' (auth.certificates).
    recipients = [address for address in to if address and not address.lower().endswith(".invalid")]
    if not recipients:
        return
    body = render_to_string(template, {**context, "portal_url": settings.PORTAL_BASE_URL})

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # SMTP down: the act stands; agents see the failure in the logs
            logger.exception("mail %r to %s failed", subject, recipients)

    transaction.on_commit(send)
