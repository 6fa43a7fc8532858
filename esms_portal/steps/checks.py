"""Sanity of the timed-step settings as system checks (STYLE.md convention 11)."""

from datetime import timedelta

from django.conf import settings
from django.core import checks


def _delay_problem(name, value) -> str | None:
    try:
        due, deadline = value
    except (TypeError, ValueError):
        return f"PORTAL_DELAYS[{name!r}] doit être un couple (échéance, date limite ou None)."
    if not isinstance(due, timedelta) or due < timedelta(0):
        return f"PORTAL_DELAYS[{name!r}] : l'échéance doit être une durée positive."
    if deadline is not None and (not isinstance(deadline, timedelta) or deadline < due):
        return f"PORTAL_DELAYS[{name!r}] : la date limite doit être une durée au moins égale à l'échéance."
    return None


@checks.register()
def check_step_settings(app_configs, **kwargs):
    errors = []
    if settings.PORTAL_TIME_COMPRESSION <= 0:
        errors.append(checks.Error("PORTAL_TIME_COMPRESSION doit être strictement positif.", id="esms.E010"))
    for name, value in settings.PORTAL_DELAYS.items():
        problem = _delay_problem(name, value)
        if problem:
            errors.append(checks.Error(problem, id="esms.E011"))
    if min(settings.PORTAL_STEP_MAX_ATTEMPTS, settings.PORTAL_STEP_BATCH, settings.PORTAL_STEP_TASK_BATCH) < 1:
        errors.append(checks.Error(
            "PORTAL_STEP_MAX_ATTEMPTS, PORTAL_STEP_BATCH et PORTAL_STEP_TASK_BATCH valent au moins 1.", id="esms.E012"
        ))
    if settings.PORTAL_STEP_LEASE_SECONDS <= settings.PORTAL_STEP_SWEEP_SECONDS:
        errors.append(checks.Error(
            "PORTAL_STEP_LEASE_SECONDS doit dépasser PORTAL_STEP_SWEEP_SECONDS : sinon une étape en cours "
            "serait reprise avant d'avoir pu s'exécuter.", id="esms.E013",
        ))
    return errors
