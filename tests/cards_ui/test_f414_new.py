from django.urls import reverse

from cards import models
from cards.models import Card

URL = reverse("cards:f414_new")


def test_anyone_of_the_organisation_orders_test_cards(client, bob, alpha):
    client.force_login(bob)
    response = client.post(URL, {"family": "CPE", "quantity": "2", "delivery_address": "1 rue du Test"}, follow=True)
    assert "Commande de 2 cartes de test enregistrée." in response.content.decode()
    assert models.TestCardOrder.objects.get().quantity == 2
    assert Card.objects.filter(is_test=True, organisation=alpha).count() == 2


def test_a_quantity_out_of_range_is_refused_with_the_data_kept(client, bob):
    client.force_login(bob)
    page = client.post(URL, {"family": "CPE", "quantity": "50", "delivery_address": "1 rue du Test"}).content.decode()
    assert "inférieure ou égale à 20" in page and "1 rue du Test" in page
    assert not models.TestCardOrder.objects.exists()


def test_an_outsider_gets_404_for_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404
