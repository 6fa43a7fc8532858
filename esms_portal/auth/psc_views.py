"""The pages of a Pro Santé Connect login (esms_portal.auth.psc): the redirection to PSC, its return,
and the logout that ends the PSC session too (RP-initiated logout)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_GET

from esms_portal.core.errors import ProSanteConnectRefused

from . import psc


def _enabled_or_404():
    if not psc.enabled():
        raise Http404("Pro Santé Connect n'est pas configuré.")


def _refused(request, error: ProSanteConnectRefused):
    return render(request, "registration/psc_refused.html", {"error": error, "psc_label": settings.PORTAL_PSC_LABEL},
                  status=error.status)


@require_GET
def psc_login(request):
    _enabled_or_404()
    try:
        return psc.login_redirect(request, request.build_absolute_uri(reverse("psc-callback")))
    except ProSanteConnectRefused as error:
        return _refused(request, error)


@require_GET
def psc_callback(request):
    _enabled_or_404()
    try:
        identity = psc.login_finish(request)
    except ProSanteConnectRefused as error:
        return _refused(request, error)
    return redirect(identity.redirect_to)


class LogoutView(auth_views.LogoutView):
    """Django's logout; a session opened by PSC then goes to PSC's end_session_endpoint, which comes
    back to the login page."""

    def post(self, request, *args, **kwargs):
        back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        to_provider = psc.logout_redirect(request, back)
        response = super().post(request, *args, **kwargs)
        return to_provider or response
