from django.urls import reverse

from cards import services
from cards.models import CardState
from tests.factories import CardFactory


def detail(card):
    return reverse("cards:card_detail", args=[card.pk])


def test_the_card_page_shows_the_card_its_history_and_incidents(client, alice, alpha, ana):
    card = CardFactory(state="ordered", organisation=alpha, holder_last_name="Bernard")
    services.card_declare_incident(actor=alice, card=card, kind="address_change", new_address="9 rue Neuve, Lyon")
    services.card_oppose(actor=alice, card=card, reason="Départ de l'agent")
    client.force_login(alice)
    page = client.get(detail(card)).content.decode()
    assert card.national_id in page and "Opposée" in page
    assert "Changement d&#x27;adresse de livraison (F504)" in page and "9 rue Neuve, Lyon" in page
    assert "Départ de l&#x27;agent" in page  # the opposition in the history, with its reason


def test_a_manager_sees_the_acts_he_may_do(client, bob, alpha, alice_card):
    client.force_login(bob)
    page = client.get(detail(alice_card)).content.decode()
    for act in ("oppose", "incident", "update_holder"):
        assert reverse(f"cards:{act}", args=[alice_card.pk]) in page
    assert "Activer ma carte" not in page


def test_an_ended_card_offers_no_act(client, alice, alpha):
    card = CardFactory(opposed=True, organisation=alpha)
    client.force_login(alice)
    page = client.get(detail(card)).content.decode()
    assert "Actes possibles" not in page


def test_the_holder_of_a_delivered_card_is_offered_activation(client, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    client.force_login(card.holder)
    page = client.get(detail(card)).content.decode()
    assert "Activer ma carte" in page and reverse("cards:activate", args=[card.pk]) in page
    assert reverse("cards:oppose", args=[card.pk]) not in page  # a holder does not oppose
    assert reverse("cards:incident", args=[card.pk]) in page  # but declares his card lost


def test_an_active_card_announces_its_automatic_renewal(client, alice, alice_card):
    client.force_login(alice)
    page = client.get(detail(alice_card)).content.decode()
    assert "sera fabriquée et envoyée automatiquement" in page


def test_a_renewed_card_links_to_its_renewal(client, alice, alpha, alice_card):
    renewal = CardFactory(
        organisation=alpha, holder=alice, family="CDE", renewal_of=alice_card, state=CardState.SHIPPED
    )
    client.force_login(alice)
    assert detail(renewal) in client.get(detail(alice_card)).content.decode()
    assert detail(alice_card) in client.get(detail(renewal)).content.decode()


def test_outsiders_get_404_on_every_card_page(client, charlie, alice_card):
    client.force_login(charlie)
    for name in ("card_detail", "activate", "oppose", "incident", "update_holder"):
        url = reverse(f"cards:{name}", args=[alice_card.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404, name
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.ACTIVE


def test_the_card_page_costs_a_bounded_number_of_queries(client, alice, alice_card, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(18):
        client.get(detail(alice_card))
