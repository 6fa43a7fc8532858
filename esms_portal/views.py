from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esms_portal.auth import lockout, passkeys, psc, tokens, two_factor
from esms_portal.core import page_cache, permissions, tenant, token_pages
from esms_portal.core.extensions import extensions
from esms_portal.models import RoleGrant


@login_required
def home(request):
    """A legal representative or mandataire lands on the onboarding timeline of his organisation (its
    home, DESIGN.md "UI"); anyone else on his own space; an ANS agent on the back office."""
    if request.user.is_staff:
        return redirect("backoffice:queue")
    managed = tenant.first_organisation_id(request.user, roles=permissions.MANAGERS)
    if managed is not None:
        return redirect("onboarding:timeline", pk=managed)
    return redirect("my_space")


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves wherever a document names no icon (the
    timeline's SVG, a JSON answer opened in a tab): the DSFR's, as every page's <head> names it. Not
    a permanent redirect: in production its address carries the file's hash, which a new DSFR changes."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"))


@login_required
@page_cache.person_page
def my_space(request):
    """A person's own space: what the apps show him (his cards and what to do next) and the roles
    and mandates he holds."""
    user = request.user
    page_cache.depends_on(request)  # his scope and his organisations'
    panels = [panel for extension in extensions() for make in extension.home_panels if (panel := make(user))]
    grants = RoleGrant.objects.filter(user=user).select_related("organisation").order_by("granted_at", "pk")
    context = {"panels": panels, "grants": grants, "managers": permissions.MANAGERS}
    return render(request, "esms_portal/home.html", context)


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

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "psc_label": settings.PORTAL_PSC_LABEL if psc.enabled() else ""}

    def get(self, request, *args, **kwargs):
        # The same page for every anonymous visitor but its CSRF token: rendered once per process.
        if not token_pages.applies(request):
            return super().get(request, *args, **kwargs)
        return token_pages.page_with_token(
            request, ("login", getattr(request, "LANGUAGE_CODE", "")),
            lambda token: self.render_to_response(self.get_context_data(csrf_token=token)))

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.required_for(user):
            return super().form_valid(form)
        return redirect(two_factor.login_start(self.request, user, redirect_to=self.get_success_url()))


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Affiché par votre application d'authentification, il change toutes les 30 secondes ; "
                  "à défaut, un de vos codes de secours (8 caractères).",
        max_length=20,
        # No numeric keyboard: a backup code has letters.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class TwoFactorEnrolForm(TwoFactorCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = ("Affiché par votre application d'authentification, il change toutes "
                                         "les 30 secondes.")


LOGIN_EXPIRED = "Votre connexion a expiré : saisissez à nouveau votre adresse électronique et votre mot de passe."
LOGIN_TOO_MANY_TRIES = "Trop de codes erronés : saisissez à nouveau votre adresse électronique et votre mot de passe."
WRONG_CODE = "Code incorrect ou déjà utilisé : saisissez le code affiché à l'instant par votre application."


def _two_factor_step(request, *, enrolment: bool):
    """The code page and the enrolment page: same pending login, same tries; they differ by how the
    code is checked (the saved secret, or the one offered for enrolment)."""
    pending = two_factor.pending_login(request)
    if pending is None or bool(pending[1]["secret"]) != enrolment:
        messages.error(request, LOGIN_EXPIRED)
        return redirect("login")
    user, state = pending
    if lockout.is_locked_out(request, user.email):
        two_factor.login_abandon(request)
        return lockout.lockout_response(request)
    secret = two_factor.pending_secret(state) if enrolment else ""
    form = (TwoFactorEnrolForm if enrolment else TwoFactorCodeForm)(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if enrolment:
            device = two_factor.user_enrol(user=user, secret=secret, code=code)
        else:
            device = two_factor.user_verify(user=user, code=code)
        if device is not None:
            return redirect(two_factor.login_complete(request, user, device))
        if lockout.second_factor_failed(request, user.email):  # counted with the wrong passwords
            two_factor.login_abandon(request)
            return lockout.lockout_response(request)
        if not two_factor.login_failed_try(request):
            messages.error(request, LOGIN_TOO_MANY_TRIES)
            return redirect("login")
        form.add_error("code", WRONG_CODE)
    context = {"form": form, "email": user.email, "has_passkey": not enrolment and passkeys.has_passkey(user),
               "webauthn": passkeys.script_configuration(request, pending=True, enrolment=enrolment)}
    if enrolment:
        context |= {"secret": two_factor.grouped(secret), "uri": two_factor.provisioning_uri(secret, user.email)}
    return render(request, f"registration/two_factor_{'enrol' if enrolment else 'code'}.html", context)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_code(request):
    return _two_factor_step(request, enrolment=False)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    return _two_factor_step(request, enrolment=True)


@never_cache
@login_required
def backup_codes(request):
    """The backup codes just made (first enrolment, or renewed from the second-factor page), shown once."""
    shown = request.session.pop(two_factor.BACKUP_CODES_SESSION_KEY, None)
    if shown is None:
        return redirect("two-factor-account")
    return render(request, "registration/two_factor_backup_codes.html", shown)


def _agent_verified(request) -> None:
    """The second-factor page is an agent's, logged in with his second factor when it is required."""
    if not request.user.is_staff:
        raise Http404
    if two_factor.required_for(request.user) and not request.user.is_verified():
        raise PermissionDenied


@never_cache
@login_required
def two_factor_account(request):
    """An agent's second factors: his authenticator app, his passkeys (add one), his backup codes."""
    _agent_verified(request)
    user = request.user
    context = {
        "totp": two_factor.has_totp(user),
        "passkeys": passkeys.user_passkeys(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "webauthn": passkeys.script_configuration(request, pending=False),
    }
    return render(request, "registration/two_factor_account.html", context)


@require_POST
@login_required
def backup_codes_renew(request):
    _agent_verified(request)
    request.session[two_factor.BACKUP_CODES_SESSION_KEY] = {
        "codes": two_factor.new_backup_codes(request.user), "next": reverse("two-factor-account")}
    return redirect("backup-codes")


def admin_login(request, extra_context=None):
    """`admin.site.login`: the admin's own login form would skip the agents' second factor, so the
    admin sends everyone to the portal's login."""
    if request.user.is_authenticated:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied  # logged in, but not an agent: the portal login would send him back
        return redirect(reverse("admin:index"))
    return redirect(f"{reverse('login')}?{urlencode({'next': request.GET.get('next', reverse('admin:index'))})}")


class ApiTokenForm(forms.Form):
    label = forms.CharField(label="Libellé", max_length=100, required=False,
                            help_text="Pour le reconnaître : le logiciel ou le poste qui l'utilise.")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_access(request):
    """Mes jetons d'accès API: the caller's tokens (label, start, dates), a form to create one, whose
    key is shown on this answer only, and where the API is documented."""
    form = ApiTokenForm(request.POST or None)
    created_key = ""
    if form.is_valid():
        _, created_key = tokens.api_token_create(user=request.user, label=form.cleaned_data["label"])
        form = ApiTokenForm()
    context = {"form": form, "created_key": created_key, "tokens": tokens.api_tokens_of(request.user),
               "lifetime": tokens.lifetime_in_words(request.user), "now": timezone.now()}
    return render(request, "esms_portal/api_access.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk):
    if not tokens.api_token_revoke(user=request.user, token_id=pk):
        raise Http404
    messages.success(request, "Le jeton est révoqué : il ne fonctionne plus.")
    return redirect("api-access")


def _json_on_the_api(page, status: int, code: str, message: str):
    """An error handler: API clients get the JSON error of the API conventions, never an HTML page;
    people get the French page."""

    def handler(request, *args, **kwargs):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "message": message}, status=status)
        return page(request, *args, **kwargs)

    return handler


# handler400 answers what Django refuses before a view (too many form fields, a suspicious request).
bad_request = _json_on_the_api(defaults.bad_request, 400, "malformed_request", "Requête mal formée.")
page_not_found = _json_on_the_api(defaults.page_not_found, 404, "not_found", "Ressource introuvable.")
server_error = _json_on_the_api(defaults.server_error, 500, "server_error", "Le portail a rencontré une erreur "
                                "inattendue : réessayez dans quelques instants.")
