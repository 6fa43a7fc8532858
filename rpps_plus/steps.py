"""Timed steps of RPPS+ (R-RPP-10 to R-RPP-12): each handler calls an idempotent service, which
checks what is already done first."""

from esms_portal.steps import register_step_handler

from .services import timeline


@register_step_handler(timeline.STEP_NUMBER, label="RPPS+ : numéro RPPS attribué et envoyé par courriel")
def rpps_number(step):
    timeline.rpps_number_send(step.object_id)


@register_step_handler(timeline.STEP_PUBLISH, label="RPPS+ : publication dans l'Annuaire Santé")
def publish(step):
    timeline.situation_publish(step.object_id)


@register_step_handler(timeline.STEP_ECPS, label="RPPS+ : ouverture de l'activation e-CPS")
def ecps_opening(step):
    timeline.ecps_invite(step.object_id)
