"""Timed steps of the certificates app: the renewal reminder 30 days before expiry (R-CER-4)."""

from esms_portal.steps import register_step_handler

from . import services


@register_step_handler(services.REMINDER_STEP, label="Certificat : rappel de renouvellement")
def renewal_reminder(step):
    services.certificate_remind_renewal(step.object_id)
