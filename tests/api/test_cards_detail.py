from cards import services
from tests.factories import CardFactory


def url(card, act=""):
    return f"/api/v1/cards/{card.pk}/{act + '/' if act else ''}"


def test_the_detail_has_history_incidents_and_acts(api, alice, alpha):
    card = CardFactory(state="ordered", organisation=alpha)
    services.card_declare_incident(actor=alice, card=card, kind="address_change", new_address="9 rue Neuve")
    body = api(alice).get(url(card)).json()
    assert body["state"] == "ordered" and body["delivery_address"] == "9 rue Neuve"
    assert body["incidents"][0]["kind"] == "address_change"
    assert "oppose" in body["available_acts"]
    assert "pin_hash" not in body and "chip_key" not in body


def test_outsiders_get_404_on_the_card_and_every_act(api, charlie, alice_card):
    client = api(charlie)
    assert client.get(url(alice_card)).json()["code"] == "not_found"
    for act, data in (("oppose", {"reason": "x"}), ("incidents", {"kind": "lost"}),
                      ("activate", {"pin": "4829", "pin_confirmation": "4829"}), ("holder", {"last_name": "X"})):
        assert client.post(url(alice_card, act), data, format="json").status_code == 404, act
    assert client.get(url(alice_card, "incidents")).status_code == 404
    alice_card.refresh_from_db()
    assert alice_card.state == "active"
