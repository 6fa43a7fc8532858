from django.contrib.auth.hashers import check_password
from django.urls import reverse

from cards.models import CardState
from tests.factories import CardFactory


def url(card):
    return reverse("cards:activate", args=[card.pk])


def test_the_activation_url_is_the_one_mails_link_to(alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    assert url(card) == f"/cartes/{card.pk}/activer/"


def test_the_holder_chooses_his_pin_and_the_card_is_active(client, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    client.force_login(card.holder)
    page = client.get(url(card)).content.decode()
    assert 'autocomplete="off"' in page and 'type="password"' in page
    response = client.post(url(card), {"pin": "4829", "pin_confirmation": "4829"}, follow=True)
    assert "Votre carte est activée" in response.content.decode()
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and check_password("4829", card.pin_hash) and card.expires_at


def test_a_mismatch_or_weak_pin_is_refused_and_never_echoed(client, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    client.force_login(card.holder)
    page = client.post(url(card), {"pin": "4829", "pin_confirmation": "4830"}).content.decode()
    assert "Les deux saisies du code porteur diffèrent." in page
    # Never echoed back into the fields (the page's ids and tokens may contain these digits by chance).
    assert 'value="4829"' not in page and 'value="4830"' not in page
    page = client.post(url(card), {"pin": "1234", "pin_confirmation": "1234"}).content.decode()
    assert "trop simple" in page and 'value="1234"' not in page
    card.refresh_from_db()
    assert card.state == CardState.DELIVERED


def test_only_the_holder_activates(client, alice, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    client.force_login(alice)  # his legal representative sees the card but does not choose his codes
    assert client.get(url(card)).status_code == 403


def test_an_active_card_sends_back_to_its_page(client, alice, alice_card):
    client.force_login(alice)
    response = client.get(url(alice_card))
    assert response.url == reverse("cards:card_detail", args=[alice_card.pk])
