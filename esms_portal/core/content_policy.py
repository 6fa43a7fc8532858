"""The Content-Security-Policy of every answer (django-csp 4).

Its directives are `CONTENT_SECURITY_POLICY` in settings: scripts and styles from the portal's own
origin, or inline with the answer's nonce. This middleware adds what only the running settings
know: the origin of the local card agent the card-login page's script calls (PORTAL_CARD_AGENT_URL),
and Pro Santé Connect's (PORTAL_PSC_ISSUER) in form-action: the logout form of a PSC session is
redirected to its end_session_endpoint, and browsers apply form-action to a form's redirections.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def _origin(url: str) -> str:
    address = urlsplit(url or "")
    return f"{address.scheme}://{address.netloc}" if address.scheme and address.netloc else ""


def card_agent_origin() -> str:
    return _origin(settings.PORTAL_CARD_AGENT_URL)


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        if origin := card_agent_origin():
            update["connect-src"] = [*update.get("connect-src", ()), origin]
        if settings.PORTAL_PSC_CLIENT_ID and (origin := _origin(settings.PORTAL_PSC_ISSUER)):
            update["form-action"] = [*update.get("form-action", ()), origin]
        if update:
            parts.update = update
        return parts
