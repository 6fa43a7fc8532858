"""Pages without a portal account: the Annuaire Santé, the professional's pre-registration, the e-CPS
activation and login; then the professional's own space, reached with his e-CPS (R-RPP-15).

An e-CPS login opens a portal session on the professional's own account (no password, no role on
any organisation) and marks the session; his space requires that mark.
"""

from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from esms_portal.auth import card_session
from esms_portal.core import keyset
from esms_portal.core.client import client_address
from esms_portal.core.forms import submit
from esms_portal.core.public_cache import shared_fragment

from . import selectors, services
from .directory_cache import TOPIC, cached
from .forms import (
    CodesForm,
    ContactForm,
    DirectoryForm,
    EcpsActivateForm,
    EcpsLoginCodeForm,
    EcpsLoginForm,
    EcpsStartForm,
    HolderMobileForm,
    SignUpForm,
)

ECPS_SESSION_KEY = "rpps_ecps_professional"
ECPS_LOGIN_SESSION_KEY = "rpps_ecps_login"  # the login under way in this browser
PSC_SITUATIONS_SESSION_KEY = "rpps_psc_situations"  # those Pro Santé Connect sent at login (rpps_plus.psc)
PAGE_SIZE = 20


def _searches_too_fast(request) -> bool:
    """A search costs queries: each client address may run PORTAL_DIRECTORY_PAGE_RATE of them."""
    return is_ratelimited(request, group="rpps_plus.directory", key=lambda _group, req: client_address(req),
                          rate=settings.PORTAL_DIRECTORY_PAGE_RATE, increment=True)


def _results(request, form):
    """The results' HTML, or None when this address searches too fast (nothing is then kept)."""
    if _searches_too_fast(request):
        return None
    entries = selectors.directory_entries(**form.cleaned_data)
    context = {"page": keyset.html_page(request, entries, PAGE_SIZE), "query": keyset.query_without_cursor(request)}
    if not request.GET.get("cursor"):
        # Known national holders (R-RPP-14), on the first page only: they have their own number.
        context["national"] = list(selectors.national_entries(**form.cleaned_data)[:PAGE_SIZE])
    return render_to_string("rpps_plus/includes/directory_results.html", context)  # nobody's in particular


@cached
def directory(request):
    """The search page. Its results are the same for every visitor: a logged-in one (whose page is
    never served from the anonymous cache) gets them from the shared cache too (TOPIC)."""
    form = DirectoryForm(request.GET or None)
    context = {"form": form, "searched": form.has_criteria()}
    if form.has_criteria():
        context["results"] = shared_fragment(request, TOPIC, "results", partial(_results, request, form))
        if context["results"] is None:
            context["throttled"] = True
            response = render(request, "rpps_plus/directory.html", context, status=429)
            response["Retry-After"] = "60"
            return response
    return render(request, "rpps_plus/directory.html", context)


@cached
def directory_entry(request, pk):
    return render(request, "rpps_plus/directory_entry.html", {"entry": selectors.directory_entry(pk)})


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pending = submit(form, services.signup_start, data=dict(form.cleaned_data), client=client_address(request))
        if pending is not None:
            return redirect("rpps_plus:signup_verify", pk=pending.pk)
    return render(request, "rpps_plus/signup.html", {"form": form})


def _codes_page(request, form, *, waiting, act, title: str, success: str, then: str):
    """The page of the two codes (email, SMS) `form` asks for: `act(**form.cleaned_data)` while
    `waiting` (what the codes were sent for) is still open."""
    if request.method == "POST" and form.is_valid() and waiting is not None:
        if submit(form, act, **form.cleaned_data) is not None:
            messages.success(request, success)
            return redirect(then)
    return render(request, "rpps_plus/codes.html", {"form": form, "expired": waiting is None, "title": title})


@require_http_methods(["GET", "POST"])
def signup_verify(request, pk):
    return _codes_page(
        request, CodesForm(request.POST or None), waiting=selectors.pending_signup(pk),
        act=partial(services.signup_verify, signup_id=pk),
        title="Vérification de vos coordonnées", then="rpps_plus:directory",
        success="Pré-inscription enregistrée : votre employeur doit maintenant la valider. "
                "Vous recevrez votre numéro RPPS par courriel une fois validée.",
    )


@require_http_methods(["GET", "POST"])
def ecps_start(request):
    form = EcpsStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        challenge = submit(form, services.ecps_request_codes, identifier=form.cleaned_data["identifier"],
                           client=client_address(request))
        if challenge is not None:
            request.session["rpps_ecps_identifier"] = form.cleaned_data["identifier"]
            return redirect("rpps_plus:ecps_activate", pk=challenge.pk)
    return render(request, "rpps_plus/ecps_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def ecps_activate(request, pk):
    identifier = request.session.get("rpps_ecps_identifier", "")
    return _codes_page(
        request, EcpsActivateForm(request.POST or None), waiting=selectors.open_challenge(pk),
        act=partial(services.ecps_activate, challenge_id=pk, identifier=identifier),
        title="Activation de votre e-CPS", then="rpps_plus:ecps_login",
        success="Votre e-CPS est active pour 3 ans : connectez-vous avec votre code PIN.",
    )


@require_http_methods(["GET", "POST"])
def ecps_login(request):
    """First step: the identifier; a one-time code goes to the owner's mobile."""
    form = EcpsLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pending = submit(form, services.ecps_login_start, identifier=form.cleaned_data["identifier"],
                         client=client_address(request))
        if pending is not None:
            request.session[ECPS_LOGIN_SESSION_KEY] = pending.pk
            return redirect("rpps_plus:ecps_login_verify", pk=pending.pk)
    return render(request, "rpps_plus/ecps_login.html", {"form": form})


def _open_ecps_session(request, ecps):
    """A professional gets his own space (R-RPP-15); a card holder his portal account, card-
    authenticated as with the card itself (e-CPE, R-RPP-6)."""
    backend = settings.AUTHENTICATION_BACKENDS[0]
    if ecps.professional_id:
        login(request, ecps.professional.user, backend=backend)
        request.session[ECPS_SESSION_KEY] = ecps.professional_id
        return redirect("rpps_plus:my_space")
    card = selectors.ecps_card(ecps)
    login(request, ecps.holder, backend=backend)
    card_session.mark_card_authenticated(request, card_id=str(card.pk), national_id=card.national_id, mode="e-cps")
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def ecps_login_verify(request, pk):
    """Second step: the code received by SMS, then the PIN. Only the browser that started this
    login may finish it (a stranger cannot spend its code attempts)."""
    if request.session.get(ECPS_LOGIN_SESSION_KEY) != pk:
        return redirect("rpps_plus:ecps_login")
    form = EcpsLoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ecps = submit(form, services.ecps_login_verify, login_id=pk, **form.cleaned_data)
        if ecps is not None:
            request.session.pop(ECPS_LOGIN_SESSION_KEY, None)
            return _open_ecps_session(request, ecps)
    return render(request, "rpps_plus/ecps_login_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def holder_mobile(request):
    """A card holder records the mobile his e-CPS (e-CPE) codes go to (R-ECP-4)."""
    current = selectors.holder_mobile_of(request.user)
    form = HolderMobileForm(request.POST or None, initial={"mobile": current})
    if request.method == "POST" and form.is_valid():
        if submit(form, services.holder_mobile_set, actor=request.user, **form.cleaned_data) is not None:
            messages.success(request, "Mobile enregistré : vous pouvez activer votre e-CPS avec l'identifiant "
                                      "imprimé sur votre carte.")
            return redirect("rpps_plus:ecps_start")
    return render(request, "rpps_plus/holder_mobile.html", {"form": form, "current": current})


def ecps_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        pk = request.session.get(ECPS_SESSION_KEY)
        professional = selectors.ecps_professional(pk, request.user)
        if professional is None:
            return redirect("rpps_plus:ecps_login")
        return view(request, professional, *args, **kwargs)

    return wrapped


@ecps_required
@require_http_methods(["GET", "POST"])
def my_space(request, professional):
    form = ContactForm(request.POST or None, initial={"email": professional.email, "mobile": professional.mobile})
    if request.method == "POST" and form.is_valid():
        if submit(form, services.professional_update_contact, actor=request.user, professional=professional,
                  **form.cleaned_data) is not None:
            messages.success(request, "Coordonnées mises à jour.")
            return redirect("rpps_plus:my_space")
    context = {"professional": professional, "situations": selectors.professional_situations(professional),
               "form": form, "psc_situations": request.session.get(PSC_SITUATIONS_SESSION_KEY, ())}
    return render(request, "rpps_plus/my_space.html", context)
