"""Timed steps of the cards app: production, shipping and delivery (about 10 days, R-CRD-7),
renewal one month before expiry (R-CRD-8) and expiry. Each handler checks the card's state first:
a second run finds the act done and does nothing."""


from . import services
from .models import CardState


def _card_in(step, state):
    from .models import Card

    return Card.objects.filter(pk=step.object_id, state=state).exists()


def start_production(step):
    if _card_in(step, CardState.ORDERED):
        services.card_start_production(step.object_id)


def ship(step):
    if _card_in(step, CardState.IN_PRODUCTION):
        services.card_ship(step.object_id)


def deliver(step):
    if _card_in(step, CardState.SHIPPED):
        services.card_deliver(step.object_id)


def renew(step):
    services.card_renew(step.object_id)


def expire(step):
    services.card_expire(step.object_id)
