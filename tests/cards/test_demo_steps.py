"""The agents' board of timed steps after `load_demo`: the cards the demo loads already active
leave no production, shipping or delivery step behind."""

from django.core.management import call_command

from cards.models import Card, CardState
from esms_portal.models import ScheduledStep, User
from esms_portal.models.steps import StepState

DEMO_HOLDERS = ["representant@demo.esms.example", "gestionnaire@demo.esms.example"]


def test_the_steps_board_shows_no_factory_step_of_the_demos_active_cards(client, db, pki):
    call_command("load_demo")
    call_command("load_demo")  # an older demo database is cleaned too
    cards = Card.objects.filter(holder__email__in=DEMO_HOLDERS)
    assert sorted(card.state for card in cards) == [CardState.ACTIVE, CardState.ACTIVE]
    factory = ScheduledStep.objects.filter(kind__in=["cards.start_production", "cards.ship", "cards.deliver"])
    assert factory.exists() and not factory.exclude(state=StepState.CANCELLED).exists()
    assert ScheduledStep.objects.filter(kind="cards.expire", state=StepState.PENDING).count() == 2  # real, kept

    client.force_login(User.objects.get(email="agent@demo.ans.example"))
    page = client.get("/back-office/etapes/").content.decode()
    assert "Étapes planifiées" in page
    for label in ("Carte : mise en fabrication", "Carte : expédition", "Carte : livraison"):
        assert label not in page
