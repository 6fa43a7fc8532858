"""Demo data of the cards app (loaded by `manage.py load_demo`, idempotent): the legal
representative of the demo organisation holds an active CDE, produced by the card factory like any
card, so that he can order staff cards (F301) and designate mandataires (F502) right away."""

from contracts.models import Structure
from esms_portal import pki
from esms_portal.models import User
from esms_portal.steps import cancel_steps

from . import services
from .models import Card, CardState, StaffCardOrder

MAIN_ORGANISATION = "0B1000013"
REPRESENTATIVE = "representant@demo.esms.example"
AGENT = "agent@demo.ans.example"
DEMO_PIN = "4826"  # every demo card's code porteur
ADDRESS = "12 rue des Tilleuls, 69003 Lyon"


def load_demo_data(stdout) -> None:
    pki.init_authorities()  # the IGC Santé test authorities, once (the card factory needs them)
    organisation = Structure.objects.get(finess=MAIN_ORGANISATION)
    representative = User.objects.get(email=REPRESENTATIVE)
    card = director_card(organisation, representative, User.objects.get(email=AGENT))
    stdout.write(f"Carte du représentant légal : {card.family} {card.national_id} ({card.get_state_display()}), "
                 f"code porteur {DEMO_PIN}")
    staff_orders(organisation, representative, User.objects.get(email=AGENT))


STAFF = [("Bernard", "Lucie", "Infirmière coordinatrice"), ("Moreau", "Karim", "Aide-soignant"),
         ("Garnier", "Sophie", "Cadre de santé")]


def staff_orders(organisation, representative, agent) -> None:
    """Two F301 for the agents' queue: one waiting for an agent, one waiting for the organisation."""
    if StaffCardOrder.objects.filter(organisation=organisation).exists():
        return
    orders = [services.f301_file(actor=representative, organisation=organisation, lines=[{
        "last_name": last, "first_names": first, "email": f"{first.lower()}.{last.lower()}@demo.esms.example",
        "title": title, "delivery_address": ADDRESS, "establishments": [], "make_mandataire": False,
    }]) for last, first, title in STAFF[:2]]
    services.form_act(actor=agent, form=orders[1], act="start_instruction")
    services.form_act(actor=agent, form=orders[1], act="ask_completion",
                      reason="Précisez l'établissement d'exercice de M. Moreau.")


def director_card(organisation, representative, agent) -> Card:
    """The F101 of the demo, accepted, and its CDE produced, delivered and activated."""
    card = Card.objects.filter(holder=representative, organisation=organisation, ordered_through="F101").first()
    if card is None:
        order = services.f101_file(actor=representative, organisation=organisation, delivery_address=ADDRESS,
                                   holder_title="Directrice")
        services.form_act(actor=agent, form=order, act="start_instruction")
        card = services.form_accept(actor=agent, form=order).card
    return deliver_now(card, pin=DEMO_PIN)


# The factory's timed steps that deliver_now runs at once: left planned, they would fill the agents'
# board with steps that have nothing left to do.
FACTORY_STEPS = ("cards.start_production", "cards.ship", "cards.deliver")


def deliver_now(card: Card, *, pin: str) -> Card:
    """Run the factory's acts at once (the demo does not wait ten days for its first card) and
    cancel the timed steps they planned."""
    if card.state == CardState.ORDERED:
        services.card_start_production(card.pk)
    if Card.objects.get(pk=card.pk).state == CardState.IN_PRODUCTION:
        services.card_ship(card.pk)
    if Card.objects.get(pk=card.pk).state == CardState.SHIPPED:
        services.card_deliver(card.pk)
    card = Card.objects.get(pk=card.pk)
    if card.state == CardState.DELIVERED:
        card = services.card_activate(actor=card.holder, card=card, pin=pin, pin_confirmation=pin)
    cancel_steps(card, kinds=FACTORY_STEPS)
    return card


