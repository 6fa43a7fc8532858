from datetime import timedelta

from django.utils import timezone

from tests.factories import CardFactory

URL = "/api/v1/cards/"


def ids(response):
    return {item["id"] for item in response.json()["results"]}


def test_a_manager_lists_his_organisations_cards_only(api, bob, alpha, alice_card, beta):
    CardFactory(active=True, organisation=beta)
    response = api(bob).get(URL)
    assert response.status_code == 200 and ids(response) == {str(alice_card.pk)}


def test_an_item_summarises_the_card(api, alice, alpha, alice_card):
    (item,) = api(alice).get(URL).json()["results"]
    assert item["family"] == "CDE" and item["state"] == "active" and item["state_label"] == "Active"
    assert item["organisation"]["name"] == "Association Alpha" and item["national_id"] == alice_card.national_id
    assert "pin_hash" not in item and "chip_key" not in item


def test_an_outsider_sees_no_card_even_naming_the_organisation(api, charlie, alpha, alice_card):
    response = api(charlie).get(URL, {"organisation": str(alpha.pk)})
    assert response.status_code == 200 and len(response.json()["results"]) == 0


def test_an_agent_lists_every_organisation_or_one(api, ana, alpha, alice_card, beta):
    theirs = CardFactory(active=True, organisation=beta)
    assert ids(api(ana).get(URL)) == {str(alice_card.pk), str(theirs.pk)}
    assert ids(api(ana).get(URL, {"organisation": str(beta.pk)})) == {str(theirs.pk)}


def test_filters_like_the_fleet_page(api, alice, alpha, alice_card):
    soon = CardFactory(active=True, organisation=alpha, holder_last_name="Bientôt",
                       expires_at=timezone.now() + timedelta(days=10))
    opposed = CardFactory(opposed=True, organisation=alpha)
    client = api(alice)
    assert ids(client.get(URL, {"state": "opposed"})) == {str(opposed.pk)}
    assert ids(client.get(URL, {"family": "CDE"})) == {str(alice_card.pk)}
    assert ids(client.get(URL, {"holder": "bient"})) == {str(soon.pk)}
    assert ids(client.get(URL, {"expiring_days": 60})) == {str(soon.pk)}


def test_a_bad_filter_is_a_400(api, alice):
    response = api(alice).get(URL, {"state": "perdue"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_filter"


def test_a_holder_lists_his_own_cards(api, alpha, alice_card):
    card = CardFactory(delivered=True, organisation=alpha)
    assert ids(api(card.holder).get(URL)) == {str(card.pk)}


def test_the_list_costs_the_same_queries_for_3_or_30_cards(api, alice, alpha, django_assert_num_queries):
    client = api(alice)
    CardFactory.create_batch(3, active=True, organisation=alpha)
    with django_assert_num_queries(3):  # token, page (no count), establishments
        client.get(URL)
    CardFactory.create_batch(27, active=True, organisation=alpha)
    with django_assert_num_queries(3):
        assert len(client.get(URL, {"page_size": 50}).json()["results"]) == 30


def test_without_a_token_the_answer_is_401(api):
    assert api().get(URL).status_code == 401
