"""Timed steps of RPPS+ (R-RPP-10 to R-RPP-12): each handler calls an idempotent service, which
checks what is already done first."""


from .services import timeline


def rpps_number(step):
    timeline.rpps_number_send(step.object_id)


def publish(step):
    timeline.situation_publish(step.object_id)


def ecps_opening(step):
    timeline.ecps_invite(step.object_id)
