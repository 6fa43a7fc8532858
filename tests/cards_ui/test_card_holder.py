from django.urls import reverse


def url(card):
    return reverse("cards:update_holder", args=[card.pk])


def test_a_mandataire_updates_the_holders_data(client, bob, alice_card):
    client.force_login(bob)
    page = client.get(url(alice_card)).content.decode()
    assert f'value="{alice_card.holder_last_name}"' in page
    client.post(url(alice_card), {"last_name": "Martin-Roux", "first_names": "Alice", "title": "Directrice"})
    alice_card.refresh_from_db()
    assert (alice_card.holder_last_name, alice_card.title) == ("Martin-Roux", "Directrice")
    assert alice_card.audit_trail().last().act == "update_holder"


def test_a_blank_name_is_refused_and_the_rest_is_kept(client, bob, alice_card):
    client.force_login(bob)
    page = client.post(url(alice_card), {"last_name": " ", "first_names": "Alice", "title": "Directrice"})
    assert "Ce champ est obligatoire." in page.content.decode() and "Directrice" in page.content.decode()


def test_the_holder_alone_may_not_update_his_card(client, alpha):
    from tests.factories import CardFactory

    card = CardFactory(active=True, organisation=alpha)
    client.force_login(card.holder)
    assert client.get(url(card)).status_code == 403
