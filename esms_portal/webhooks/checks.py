"""Sanity of the webhook settings as system checks (STYLE.md convention 11)."""

from django.conf import settings
from django.core import checks


@checks.register()
def check_webhook_settings(app_configs, **kwargs):
    problems = []
    timeout = settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS
    # A POST runs inside its step's transaction: it must end well before the lease brings the step back.
    if not 0 < timeout <= settings.PORTAL_STEP_LEASE_SECONDS / 4:
        problems.append(checks.Error(
            "PORTAL_WEBHOOK_TIMEOUT_SECONDS doit être positif et ne pas dépasser le quart de "
            "PORTAL_STEP_LEASE_SECONDS.", id="esms.E040",
        ))
    if settings.PORTAL_WEBHOOK_PAUSE_AFTER < 1:
        problems.append(checks.Error("PORTAL_WEBHOOK_PAUSE_AFTER vaut au moins 1.", id="esms.E041"))
    if settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE and not settings.DEBUG:
        problems.append(checks.Warning(
            "PORTAL_WEBHOOKS_ALLOW_PRIVATE est actif hors DEBUG : un abonnement peut faire appeler par le "
            "portail une adresse de son réseau interne.", id="esms.W042",
        ))
    return problems
