import pytest
from django.urls import reverse

from cards import models
from cards.models import Card
from tests.factories import CardFactory, UserFactory

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


@pytest.fixture
def staff(alpha):
    """A staff member of alpha with his CPE and no role on it."""
    user = UserFactory(email="lucie@alpha.example", first_name="Lucie", last_name="Bernard")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    return user


@pytest.mark.rule("R-CRD-14")
def test_a_card_holder_without_a_role_orders_test_cards(client, staff, alpha):
    client.force_login(staff)
    assert f'{URL}?organisation={alpha.pk}' in client.get(reverse("cards:fleet")).content.decode()
    page = client.get(URL).content.decode()
    assert "Commander des cartes de test (F414)" in page and alpha.name in page
    response = client.post(f"{URL}?organisation={alpha.pk}",
                           {"family": "CPE", "quantity": "1", "delivery_address": "1 rue du Test"}, follow=True)
    assert "Commande de 1 carte de test enregistrée." in response.content.decode()
    order = models.TestCardOrder.objects.get()
    assert (order.ordered_by, order.organisation) == (staff, alpha)
    assert Card.objects.get(is_test=True).holder == staff


@pytest.mark.rule("R-CRD-14")
def test_a_card_holder_orders_only_for_the_organisation_of_his_card(client, staff, beta):
    client.force_login(staff)
    assert client.get(URL, {"organisation": beta.pk}).status_code == 404


def test_an_opposed_card_attaches_no_more(client, alpha):
    former = UserFactory(email="former@alpha.example")
    CardFactory(opposed=True, holder=former, organisation=alpha)
    client.force_login(former)
    assert client.get(URL).status_code == 403
