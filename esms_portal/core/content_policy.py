"""The Content-Security-Policy of every answer (django-csp 4).

Its directives are `CONTENT_SECURITY_POLICY` in settings: scripts and styles from the portal's own
origin, or inline with the answer's nonce. This middleware adds what only the running settings
know: the origin of the local card agent the card-login page's script calls (PORTAL_CARD_AGENT_URL).
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def card_agent_origin() -> str:
    address = urlsplit(settings.PORTAL_CARD_AGENT_URL or "")
    return f"{address.scheme}://{address.netloc}" if address.scheme and address.netloc else ""


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = card_agent_origin()
        if origin:
            update = dict(parts.update or {})
            update["connect-src"] = [*update.get("connect-src", ()), origin]
            parts.update = update
        return parts
