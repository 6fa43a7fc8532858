"""Password and second-factor guessing: django-axes counts the failures, this module says how.

Every wrong password (login page, API token endpoint) and every wrong second-factor code counts
against two keys: the pair (account, client address) and the client address alone, the address read
by `client_address` (trusted proxies only). The pair is locked after
`PORTAL_LOGIN_FAILURES_PER_ACCOUNT` failures, the address after `PORTAL_LOGIN_FAILURES_PER_ADDRESS`
(a higher limit: offices share an address). The owner is never locked out from his own addresses by
a stranger's guesses at another address: no key is the account alone.

The lockout lasts `PORTAL_LOGIN_COOLOFF_MINUTES`, doubled at each further failure after it (up to
`PORTAL_LOGIN_COOLOFF_MAX_HOURS`); failures made while locked are not counted. Failures are
forgotten after a login from the same address, after the maximum, or when the account's password is
chosen anew (the link mailed to the owner at the lockout); agents unlock from the admin (« Tentatives
d'accès », delete).
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from esms_portal.core import notify
from esms_portal.core.accounts import password_reset_link
from esms_portal.core.client import client_address
from esms_portal.core.errors import PortalError

from . import send_limits

logger = logging.getLogger(__name__)

# The axes lockout parameters, in this order: the pair, then the address alone.
LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]


class LoginLockedOut(PortalError, code="too_many_attempts", status=429,
                     message="Trop de tentatives de connexion : réessayez plus tard."):
    pass


def client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the one reading of the client's address."""
    return client_address(request)


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: the pair's limit; the address's count is scaled to it (`_pressure`)."""
    return settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT


def login_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the email tried, whichever name the caller gave it, in lower case (an
    account is one key whatever the case typed)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _pressure(pair: int, address: int) -> int:
    """Failures in units of the account limit: the address's count scaled to the same threshold."""
    return max(pair, address * settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT // settings.PORTAL_LOGIN_FAILURES_PER_ADDRESS)


def lockout_duration(failures: int) -> timedelta:
    """The cool-off after `failures` (in account units): doubled at each failure past the limit."""
    base = timedelta(minutes=settings.PORTAL_LOGIN_COOLOFF_MINUTES)
    longest = timedelta(hours=settings.PORTAL_LOGIN_COOLOFF_MAX_HOURS)
    extra = max(0, failures - settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT)
    return min(base * 2 ** min(extra, 32), longest)


class LockoutHandler(AxesDatabaseHandler):
    """The axes database handler with two limits, a growing cool-off, and a reset on success that
    forgets only the pair that logged in (not every account tried from the address)."""

    def get_user_attempts(self, request, credentials=None):
        pair, address = self.filter_user_attempts(request, credentials)
        # Rows live up to the maximum cool-off; the ones still counting are those of the last failure's.
        duration = lockout_duration(_pressure(_failures(pair), _failures(address)))
        request.portal_lockout_minutes = max(1, round(duration.total_seconds() / 60))
        since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - duration
        return [pair.filter(attempt_time__gte=since), address.filter(attempt_time__gte=since)]

    def get_failures(self, request, credentials=None) -> int:
        pair, address = self.get_user_attempts(request, credentials)
        return _pressure(_failures(pair), _failures(address))

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        oldest = timezone.now() - timedelta(hours=settings.PORTAL_LOGIN_COOLOFF_MAX_HOURS)
        return AccessAttempt.objects.filter(attempt_time__lte=oldest).delete()[0]

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()[0]


def lockout_delay(request) -> str:
    """The current lockout's duration, in French words."""
    minutes = getattr(request, "portal_lockout_minutes", settings.PORTAL_LOGIN_COOLOFF_MINUTES)
    return f"{minutes} minute{'s' if minutes > 1 else ''}" if minutes < 120 else f"{minutes // 60} heures"


def lockout_message(request) -> str:
    delay = lockout_delay(request)
    return (f"Trop de tentatives de connexion : la connexion est bloquée depuis votre adresse pendant {delay}. "
            "Pour la débloquer sans attendre, choisissez un nouveau mot de passe (« Mot de passe oublié ? »).")


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the API's JSON error, or the French page (HTTP 429 both)."""
    error = LoginLockedOut(lockout_message(request))
    if request.path.startswith("/api/"):
        return JsonResponse({"code": error.code, "message": error.message}, status=error.status)
    return render(request, "registration/locked_out.html", {"message": error.message}, status=error.status)


def is_locked_out(request, email: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": email})


def second_factor_failed(request, email: str) -> bool:
    """Counts a wrong second-factor code like a wrong password; True when it locks the login out."""
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


@receiver(user_locked_out)
def mail_owner_on_lockout(sender, request, username=None, ip_address=None, **kwargs):
    """Tells the owner of a guessed account (the pair's limit reached) how to unlock it: once per
    account within the send limits, never for the accounts merely tried from a locked address."""
    if not username:
        return
    guessed = _failures(AccessAttempt.objects.filter(username=username, ip_address=ip_address))
    if guessed < settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT:
        return
    owner = get_user_model().objects.filter(email__iexact=username, is_active=True).first()
    if owner is None or not send_limits.lockout_mail_allowed(owner.email):
        return
    notify.mail_on_commit(
        to=[owner.email],
        subject="Portail ESMS : connexion bloquée après des tentatives erronées",
        template="registration/mail/locked_out.txt",
        context={"address": ip_address, "link": password_reset_link(owner),
                 "delay": lockout_delay(request)},
    )
    logger.warning("Connexion bloquée pour %s depuis %s", owner.pk, ip_address)
