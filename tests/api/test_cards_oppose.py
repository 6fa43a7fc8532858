from cards import services


def url(card):
    return f"/api/v1/cards/{card.pk}/oppose/"


def test_a_manager_opposes_with_a_reason(api, bob, alice_card):
    response = api(bob).post(url(alice_card), {"reason": "Départ"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "opposed" and response.json()["opposition_reason"] == "Départ"


def test_a_reason_is_required(api, bob, alice_card):
    response = api(bob).post(url(alice_card), {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"


def test_opposing_twice_is_a_409(api, alice, bob, alice_card):
    services.card_oppose(actor=alice, card=alice_card, reason="Départ")
    response = api(bob).post(url(alice_card), {"reason": "Départ"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_the_holder_alone_may_not_oppose(api, alpha):
    from tests.factories import CardFactory

    card = CardFactory(active=True, organisation=alpha)
    response = api(card.holder).post(url(card), {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"
