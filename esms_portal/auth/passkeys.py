"""Passkeys (WebAuthn) as an ANS agent's second factor, on django-otp-webauthn.

An agent may enrol a passkey instead of an authenticator app: on the enrolment page of a pending login
(two_factor.py: after the password, before he is logged in) or from his second-factor page once logged
in. He then logs in with his password and the passkey. Passwordless login is off
(`OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`): a passkey is a second factor, never the first.

The library's views act for `request.user`; the views of the pending login below act for the user of
the session's pending login instead, and end like the code page: the login completed by
`two_factor.login_complete` (a passkey enrolment also gives the backup codes). Their JavaScript is the
library's (its template tags, a static module under the CSP's 'self'); passkeys.js only follows the
end of an enrolment. The relying party (domain) and the allowed origins come from settings.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from esms_portal.auth import two_factor
from esms_portal.models import User

logger = logging.getLogger("django_otp_webauthn")


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def user_passkeys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


class PortalWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        origins = list(super().get_allowed_origins())
        if settings.DEBUG and self.request.get_host().split(":")[0] == "localhost":
            origins.append(f"{self.request.scheme}://{self.request.get_host()}")  # runserver's port
        return origins


class PendingLoginMixin:
    """The pending login's user (the password was right) instead of `request.user`; none when the
    pending login expired or does not match the step (`enrolment`), and the request is then refused."""

    enrolment = False

    def get_user(self):
        pending = two_factor.pending_login(self.request)
        if pending is None or bool(pending[1]["secret"]) != self.enrolment:
            return None
        user = pending[0]
        user.is_verified = lambda: False  # what OTPMiddleware gives a user who is not logged in
        return user

    def pending_state(self) -> dict:
        return self.request.session[two_factor.SESSION_KEY]

    def initial(self, request, *args, **kwargs):
        if self.get_user() is None:
            raise LoginExpired()
        super().initial(request, *args, **kwargs)


class LoginExpired(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "login_expired"
    default_detail = "Votre connexion a expiré : saisissez à nouveau votre adresse électronique et votre mot de passe."


class AlreadyEnrolled(exceptions.OTPWebAuthnApiError):
    status_code = 409
    default_code = "already_enrolled"
    default_detail = "Ce compte a déjà un second facteur : reconnectez-vous pour l'utiliser."


@method_decorator(never_cache, name="dispatch")
class PendingRegistrationBegin(PendingLoginMixin, BeginCredentialRegistrationView):
    enrolment = True


@method_decorator(never_cache, name="dispatch")
class PendingRegistrationComplete(PendingLoginMixin, CompleteCredentialRegistrationView):
    enrolment = True

    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).get()  # one enrolment at a time
            if two_factor.has_second_factor(user):
                raise AlreadyEnrolled()
            with rewrite_exceptions(logger=logger):
                device = self.get_helper().register_complete(user=user, state=state, data=self.request.data)
        redirect_url = two_factor.login_complete(self.request, user, device)
        return JsonResponse({"id": device.pk, "redirect_url": redirect_url})


@method_decorator(never_cache, name="dispatch")
class PendingAuthenticationBegin(PendingLoginMixin, BeginCredentialAuthenticationView):
    pass


@method_decorator(never_cache, name="dispatch")
class PendingAuthenticationComplete(PendingLoginMixin, CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        with rewrite_exceptions(logger=logger):
            device = self.get_helper().authenticate_complete(user=user, state=state, data=self.request.data)
        self.check_device_usable(device)  # the helper checked it is one of the user's
        return JsonResponse({"id": device.pk, "redirect_url": two_factor.login_complete(self.request, user, device)})


def script_configuration(request, *, pending: bool, enrolment: bool = False) -> dict:
    """The library's script configuration (its `otp_webauthn_config`); for a pending login, pointed
    at the views above."""
    extra = {}
    if pending and enrolment:
        extra = {"beginRegistrationUrl": reverse("passkey-enrol-begin"),
                 "completeRegistrationUrl": reverse("passkey-enrol-complete")}
    elif pending:
        extra = {"beginAuthenticationUrl": reverse("passkey-login-begin"),
                 "completeAuthenticationUrl": reverse("passkey-login-complete")}
    return get_configuration(request, extra)
