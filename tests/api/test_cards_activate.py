from tests.factories import CardFactory


def url(card):
    return f"/api/v1/cards/{card.pk}/activate/"


def test_the_holder_activates_and_the_pin_is_never_sent_back(api, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    response = api(card.holder).post(url(card), {"pin": "4829", "pin_confirmation": "4829"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "active"
    assert "4829" not in response.content.decode()


def test_pin_errors_have_stable_codes(api, alpha):
    card = CardFactory(delivered=True, organisation=alpha)
    client = api(card.holder)
    for pin, confirmation, code in (("12", "12", "invalid_pin"), ("1111", "1111", "weak_pin"),
                                    ("4829", "4830", "pin_mismatch")):
        response = client.post(url(card), {"pin": pin, "pin_confirmation": confirmation}, format="json")
        assert response.status_code == 400 and response.json()["code"] == code


def test_only_the_holder_activates_and_only_a_delivered_card(api, alice, alpha, alice_card):
    card = CardFactory(delivered=True, organisation=alpha)
    response = api(alice).post(url(card), {"pin": "4829", "pin_confirmation": "4829"}, format="json")
    assert response.status_code == 403
    response = api(alice).post(url(alice_card), {"pin": "4829", "pin_confirmation": "4829"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"
