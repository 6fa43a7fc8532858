from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import api_auth
from .celery import app as celery_app
from .models import Role, RoleGrant


@login_required
def home(request):
    """A legal representative or mandataire lands on the onboarding timeline of his organisation (its
    home, DESIGN.md "UI"); another member on his organisation; an ANS agent on the back office."""
    if request.user.is_staff:
        return redirect("backoffice:queue")
    grants = RoleGrant.objects.filter(user=request.user)
    manager = grants.filter(role__in=[Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE]).order_by("granted_at").first()
    if manager is not None:
        return redirect("onboarding:timeline", pk=manager.organisation_id)
    grant = grants.first()
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


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def api_access(request):
    """The caller's API token (created on demand) and where the API is documented."""
    if request.method == "POST":
        api_auth.api_token_renew(user=request.user)
        messages.success(request, "Un nouveau jeton a été créé : l'ancien ne fonctionne plus.")
        return redirect("api-access")
    token = api_auth.api_token_for(user=request.user)
    return render(request, "esms_portal/api_access.html", {"token": token})


def accessibility(request):
    return render(request, "esms_portal/accessibility.html")


def page_not_found(request, exception):
    """API clients get the JSON error of the API conventions; people get the French page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Ressource introuvable."}, status=404)
    return defaults.page_not_found(request, exception)
