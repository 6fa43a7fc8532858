"""Mail to users, always after commit: a rolled-back decision never sends a message."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def mail_on_commit(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render `template` (plain text, French) and send it once the current transaction commits."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    body = render_to_string(template, {**context, "portal_url": settings.PORTAL_BASE_URL})

    def send():
        send_mail(subject, body, None, recipients, fail_silently=False)

    transaction.on_commit(send)
