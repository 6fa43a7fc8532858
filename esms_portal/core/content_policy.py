"""The Content-Security-Policy of every answer (django-csp 4).

Its directives are `CONTENT_SECURITY_POLICY` in settings: scripts and styles from the portal's own
origin, or inline with the answer's nonce. This middleware adds what only the running settings
know: the origin of the local card agent the card-login page's script calls (PORTAL_CARD_AGENT_URL),
and Pro Santé Connect's (PORTAL_PSC_ISSUER) in form-action: the logout form of a PSC session is
redirected to its end_session_endpoint, and browsers apply form-action to a form's redirections.

The header is the same for every answer but for its nonce: django-csp builds it anew twice per
answer (the policy and the report-only one, ~0.1 ms), so it is built once per process and per
setting values, with a placeholder where the nonce goes. An answer a view gave its own policy
(django-csp's decorators set `_csp_config`, `_csp_update`, `_csp_replace`) goes through django-csp.
"""

from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PLACEHOLDER = "portal-csp-nonce-placeholder"
PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro",
            "_csp_exempt", "_csp_exempt_ro")
POLICY_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "PORTAL_CARD_AGENT_URL",
                   "PORTAL_PSC_CLIENT_ID", "PORTAL_PSC_ISSUER", "DEBUG"}
_built: dict[tuple[bool, bool], str] = {}  # (report only, with a nonce) -> the header, PLACEHOLDER for the nonce


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in POLICY_SETTINGS:
        _built.clear()


def _excluded_prefixes() -> bool:
    return any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
               for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"))


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

    def process_response(self, request, response):
        if (any(hasattr(response, name) for name in PER_VIEW) or (settings.DEBUG and response.status_code in (404, 500))
                or _excluded_prefixes()):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header in ((False, HEADER), (True, HEADER_REPORT_ONLY)):
            policy = self._policy(request, response, report_only, bool(nonce))
            if policy and header not in response:
                response[header] = policy.replace(PLACEHOLDER, nonce) if nonce else policy
        if nonce is None:  # as django-csp: a nonce asked for after the header is written is an error
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _policy(self, request, response, report_only: bool, nonce: bool) -> str:
        key = (report_only, nonce)
        if key not in _built:
            parts = self.get_policy_parts(request, response, report_only)
            parts.nonce = PLACEHOLDER if nonce else None
            _built[key] = build_policy(parts.config, parts.update, parts.replace, parts.nonce, report_only)
        return _built[key]
