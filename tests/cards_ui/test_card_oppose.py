from django.urls import reverse

from cards import services
from cards.models import CardState


def url(card):
    return reverse("cards:oppose", args=[card.pk])


def test_a_manager_opposes_a_card_with_a_reason_and_a_confirmation(client, bob, alice_card):
    client.force_login(bob)
    response = client.post(url(alice_card), {"reason": "Départ de l'agent", "confirm": "on"}, follow=True)
    assert "Opposition enregistrée" in response.content.decode()
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.OPPOSED and alice_card.opposition_reason == "Départ de l'agent"


def test_without_reason_nor_confirmation_nothing_happens_and_the_page_says_why(client, bob, alice_card):
    client.force_login(bob)
    page = client.post(url(alice_card), {"reason": "Perdue"}).content.decode()
    assert "Cochez la case pour confirmer l&#x27;opposition." in page
    assert "Perdue" in page  # what was typed is kept
    page = client.post(url(alice_card), {"confirm": "on"}).content.decode()
    assert "Ce champ est obligatoire." in page
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.ACTIVE


def test_a_card_opposed_meanwhile_gets_a_message_not_an_error(client, alice, bob, alice_card):
    client.force_login(bob)
    client.get(url(alice_card))
    services.card_oppose(actor=alice, card=alice_card, reason="Départ")
    response = client.post(url(alice_card), {"reason": "Départ", "confirm": "on"})
    assert response.status_code == 200
    assert "a changé d&#x27;état" in response.content.decode()


def test_the_holder_cannot_oppose_his_own_card_from_the_page(client, alpha):
    from tests.factories import CardFactory

    card = CardFactory(active=True, organisation=alpha)
    client.force_login(card.holder)
    response = client.post(url(card), {"reason": "x", "confirm": "on"})
    assert "pas le droit" in response.content.decode()
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE
