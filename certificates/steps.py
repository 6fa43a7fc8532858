"""Timed steps of the certificates app: the renewal reminder 30 days before expiry (R-CER-4)."""


from . import services


def renewal_reminder(step):
    services.certificate_remind_renewal(step.object_id)
