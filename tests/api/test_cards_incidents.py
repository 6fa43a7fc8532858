from tests.factories import CardFactory


def url(card):
    return f"/api/v1/cards/{card.pk}/incidents/"


def test_declaring_a_lost_card_orders_a_replacement(api, bob, alice_card):
    response = api(bob).post(url(alice_card), {"kind": "lost"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "lost" and response.json()["replacement"]
    assert len(api(bob).get(url(alice_card)).json()["results"]) == 1


def test_the_service_codes_come_back(api, alice, alpha):
    shipped = CardFactory(state="shipped", organisation=alpha)
    client = api(alice)
    response = client.post(url(shipped), {"kind": "address_change", "new_address": "1 rue"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "already_shipped"
    response = client.post(url(shipped), {"kind": "broken"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_incident"
