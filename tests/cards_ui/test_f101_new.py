from django.urls import reverse

from cards.models import DirectorCardOrder

URL = reverse("cards:f101_new")


def test_the_legal_representative_files_his_f101_with_his_contract(client, alice, alpha, draft):
    client.force_login(alice)
    response = client.post(URL, {"delivery_address": "1 rue de la Paix, 75002 Paris", "holder_title": "Directrice"})
    order = DirectorCardOrder.objects.get()
    assert response.url == reverse("cards:f101_detail", args=[order.pk])
    assert order.organisation == alpha and order.family == "CDE" and order.holder == alice


def test_without_a_contract_the_f101_is_refused_in_french_and_the_address_kept(client, alice, alpha):
    client.force_login(alice)
    page = client.post(URL, {"delivery_address": "1 rue de la Paix"}).content.decode()
    assert "Déposez d&#x27;abord le contrat d&#x27;adhésion" in page and "1 rue de la Paix" in page
    assert not DirectorCardOrder.objects.exists()


def test_a_second_f101_in_flight_is_refused(client, alice, alpha, draft):
    client.force_login(alice)
    client.post(URL, {"delivery_address": "1 rue de la Paix"})
    page = client.post(URL, {"delivery_address": "2 rue de la Paix"}).content.decode()
    assert "Une F101 est déjà en cours" in page
    assert DirectorCardOrder.objects.count() == 1


def test_the_address_is_required(client, alice, draft):
    client.force_login(alice)
    assert "Ce champ est obligatoire." in client.post(URL, {}).content.decode()


def test_a_mandataire_may_not_file_an_f101(client, bob, draft):
    client.force_login(bob)
    assert client.get(URL).status_code == 403


def test_an_outsider_gets_404_for_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404
