"""A card being made (ordered, in production, shipped) is followed on its page (htmx)."""

import pytest
from django.urls import reverse

from cards.services.cards import card_deliver
from tests.factories import CardFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "card-state"}


def test_a_card_on_its_way_is_polled_and_its_delivery_stops_the_polling(client, alice, alpha):
    card = CardFactory(state="shipped", holder=alice, organisation=alpha, family="CDE")
    client.force_login(alice)
    url = reverse("cards:card_detail", args=[card.pk])
    assert f'<span id="card-state" hx-get="{url}" hx-trigger="every 10s"' in client.get(url).content.decode()
    polled = client.get(url, headers=HTMX)
    assert polled.status_code == 200 and "<html" not in polled.content.decode()
    assert "Expédiée" in polled.content.decode()
    card_deliver(card.pk)  # what the delivery's timed step does
    delivered = client.get(url, headers=HTMX)
    assert delivered.status_code == 286 and "Livrée" in delivered.content.decode()


def test_another_organisation_gets_a_404(client, charlie, alice, alpha):
    card = CardFactory(state="ordered", holder=alice, organisation=alpha, family="CDE")
    client.force_login(charlie)
    assert client.get(reverse("cards:card_detail", args=[card.pk]), headers=HTMX).status_code == 404
