from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app
from .models import RoleGrant


@login_required
def home(request):
    """An organisation's member lands on its organisation; an ANS agent on the back office."""
    grant = RoleGrant.objects.filter(user=request.user).select_related("organisation").first()
    if grant is not None:
        return redirect("structures:detail", pk=grant.organisation_id)
    return render(request, "esms_portal/home.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose: database and broker reachable."""
    status = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(status.values())
    body = {"status": "ok" if healthy else "degraded", **{k: "ok" if v else "error" for k, v in status.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
