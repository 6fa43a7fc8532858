"""`/healthz`: what load balancers and compose poll, every few seconds, on every web process.

It must cost next to nothing: the database answers one `SELECT 1` on the request's (persistent)
connection; the broker is probed at most once per `PORTAL_HEALTHZ_BROKER_TTL` seconds per process,
because opening a broker connection per call was most of the endpoint's cost. `HealthzMiddleware`
answers it right after Django's SecurityMiddleware: sessions, CSRF, authentication, messages,
axes and the error pages have nothing to do for it, and they were half of its CPU.
"""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from esms_portal.celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_reachable() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


class _BrokerProbe:
    """The last broker answer of this process, trusted for a few seconds."""

    def __init__(self):
        self.checked_at = None
        self.reachable = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if self.checked_at is None or now - self.checked_at >= settings.PORTAL_HEALTHZ_BROKER_TTL:
            self.reachable = _broker_reachable()
            self.checked_at = now
        return self.reachable

    def forget(self):
        self.checked_at = None


broker_ok = _BrokerProbe()


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose: database and broker reachable."""
    status = {"database": _database_ok(), "broker": broker_ok()}
    healthy = all(status.values())
    body = {"status": "ok" if healthy else "degraded", **{k: "ok" if v else "error" for k, v in status.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


class HealthzMiddleware:
    """Answers `/healthz` before the rest of the middleware (placed right after SecurityMiddleware,
    whose redirect exempts it and whose headers it keeps). The host is still checked (DisallowedHost
    is a 400, as through CommonMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            request.get_host()
            return healthz(request)
        return self.get_response(request)
