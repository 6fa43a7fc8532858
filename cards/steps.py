"""Timed steps of the cards app: production, shipping and delivery (about 10 days, R-CRD-7),
renewal one month before expiry (R-CRD-8) and expiry. Each handler checks the card's state first:
a second run finds the act done and does nothing."""

from esms_portal.steps import register_step_handler

from . import services
from .models import CardState


def _card_in(step, state):
    from .models import Card

    return Card.objects.filter(pk=step.object_id, state=state).exists()


@register_step_handler("cards.start_production", label="Carte : mise en fabrication")
def start_production(step):
    if _card_in(step, CardState.ORDERED):
        services.card_start_production(step.object_id)


@register_step_handler("cards.ship", label="Carte : expédition")
def ship(step):
    if _card_in(step, CardState.IN_PRODUCTION):
        services.card_ship(step.object_id)


@register_step_handler("cards.deliver", label="Carte : livraison")
def deliver(step):
    if _card_in(step, CardState.SHIPPED):
        services.card_deliver(step.object_id)


@register_step_handler("cards.renew", label="Carte : renouvellement un mois avant l'échéance")
def renew(step):
    services.card_renew(step.object_id)


@register_step_handler("cards.expire", label="Carte : fin de validité")
def expire(step):
    services.card_expire(step.object_id)
