def url(card):
    return f"/api/v1/cards/{card.pk}/holder/"


def test_a_mandataire_updates_the_holder(api, bob, alice_card):
    data = {"last_name": "Martin-Roux", "first_names": "Alice", "title": "Directrice"}
    response = api(bob).post(url(alice_card), data, format="json")
    assert response.status_code == 200 and response.json()["holder_last_name"] == "Martin-Roux"


def test_a_blank_name_is_a_400_with_its_code(api, bob, alice_card):
    response = api(bob).post(url(alice_card), {"last_name": "", "first_names": "Alice"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "holder_name_required"
