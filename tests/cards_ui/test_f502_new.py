from django.urls import reverse

from cards.models import MandateRequest
from tests.factories import CardFactory

URL = reverse("cards:f502_new")


def test_the_legal_representative_designates_a_card_holder(client, alice, alpha, accepted):
    designee = CardFactory(active=True, organisation=alpha, holder_last_name="Morel")
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Morel" in page
    response = client.post(URL, {"action": "designate", "designee_card": designee.pk})
    request = MandateRequest.objects.get()
    assert response.url == reverse("cards:f502_detail", args=[request.pk])
    assert request.designee_card == designee


def test_only_usable_cards_of_the_organisation_are_offered(client, alice, alpha, beta):
    opposed = CardFactory(opposed=True, organisation=alpha, holder_last_name="Parti")
    foreign = CardFactory(active=True, organisation=beta, holder_last_name="Étranger")
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Parti" not in page and "Étranger" not in page
    page = client.post(URL, {"action": "designate", "designee_card": foreign.pk}).content.decode()
    assert "Choisissez un porteur de la liste." in page
    assert not MandateRequest.objects.exists() and opposed


def test_removing_someone_who_is_not_mandataire_is_refused_in_french(client, alice, alpha):
    card = CardFactory(active=True, organisation=alpha)
    client.force_login(alice)
    page = client.post(URL, {"action": "remove", "designee_card": card.pk}).content.decode()
    assert "Cette personne n&#x27;est pas mandataire." in page


def test_a_mandataire_may_not_file_an_f502(client, bob):
    client.force_login(bob)
    assert client.get(URL).status_code == 403


def test_an_outsider_gets_404_for_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404
