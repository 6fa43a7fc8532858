from django.urls import reverse

from cards.models import CardIncident, CardState
from tests.factories import CardFactory


def url(card):
    return reverse("cards:incident", args=[card.pk])


def test_a_lost_card_is_opposed_and_replaced(client, bob, alice_card):
    client.force_login(bob)
    response = client.post(url(alice_card), {"kind": "lost"}, follow=True)
    assert "une nouvelle carte est commandée" in response.content.decode()
    alice_card.refresh_from_db()
    incident = CardIncident.objects.get(card=alice_card)
    assert alice_card.state == CardState.OPPOSED
    assert incident.replacement.national_id == alice_card.national_id


def test_lost_codes_send_the_holder_back_to_activation(client, alice, alice_card):
    client.force_login(alice)
    client.post(url(alice_card), {"kind": "pin_lost"})
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.DELIVERED
    assert "Activer ma carte" in client.get(reverse("cards:card_detail", args=[alice_card.pk])).content.decode()


def test_an_address_change_after_shipping_is_refused_in_french_with_the_data_kept(client, alice, alpha):
    card = CardFactory(state="shipped", organisation=alpha)
    client.force_login(alice)
    page = client.post(url(card), {"kind": "address_change", "new_address": "2 place du Marché"}).content.decode()
    assert "La carte est déjà expédiée" in page and "2 place du Marché" in page
    assert not CardIncident.objects.exists()


def test_an_address_change_before_shipping_moves_the_delivery(client, alice, alpha):
    card = CardFactory(state="in_production", organisation=alpha)
    client.force_login(alice)
    client.post(url(card), {"kind": "address_change", "new_address": "2 place du Marché"})
    card.refresh_from_db()
    assert card.delivery_address == "2 place du Marché"


def test_an_incident_needs_a_kind(client, alice, alice_card):
    client.force_login(alice)
    assert "Choisissez le type d&#x27;incident." in client.post(url(alice_card), {}).content.decode()


def test_a_colleague_without_managing_role_may_not_declare(client, alpha, alice_card):
    colleague = CardFactory(active=True, organisation=alpha).holder
    client.force_login(colleague)
    assert client.get(url(alice_card)).status_code == 404  # he does not even see the card
