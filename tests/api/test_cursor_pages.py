"""Every API list pages by key: `{next, previous, results}` links carrying an opaque cursor, no total
count, the same queries on any page; a forged cursor is a JSON 404, a page number a JSON 400."""

import pytest

from tests.factories import CardFactory

URL = "/api/v1/cards/"


@pytest.fixture
def seven_cards(alpha):
    return CardFactory.create_batch(7, active=True, organisation=alpha)


def test_an_agent_walks_every_card_by_cursor_with_the_same_queries_on_each_page(
    api, ana, seven_cards, django_assert_num_queries
):
    client = api(ana)
    first = client.get(URL, {"page_size": 3}).json()
    assert set(first) == {"next", "previous", "results"} and first["previous"] is None
    with django_assert_num_queries(3) as counted:  # token, page, establishments
        second = client.get(first["next"]).json()
    with django_assert_num_queries(len(counted.captured_queries)):
        last = client.get(second["next"]).json()
    ids = [card["id"] for page in (first, second, last) for card in page["results"]]
    assert len(ids) == 7 and set(ids) == {str(card.pk) for card in seven_cards} and last["next"] is None
    assert client.get(last["previous"]).json()["results"] == second["results"]


def test_filters_are_kept_in_the_cursor_links(api, ana, alpha, seven_cards):
    CardFactory.create_batch(4, organisation=alpha, state="ordered")
    client = api(ana)
    first = client.get(URL, {"state": "active", "page_size": 5}).json()
    assert "state=active" in first["next"]
    rest = client.get(first["next"]).json()
    assert len(first["results"]) + len(rest["results"]) == 7
    assert {card["state"] for card in first["results"] + rest["results"]} == {"active"}


def test_a_forged_cursor_is_a_json_404_and_a_foreign_one_too(api, ana, seven_cards):
    client = api(ana)
    cursor = client.get(URL, {"page_size": 3}).json()["next"].split("cursor=")[1]
    for bad in ("AAAA", cursor[:-3] + "abc"):
        response = client.get(URL, {"cursor": bad})
        assert response.status_code == 404
        assert response.json() == {"code": "invalid_cursor",
                                   "message": "Page introuvable : le lien de pagination est invalide ou périmé."}
    structures_next = client.get("/api/v1/structures/", {"page_size": 1}).json()["next"]
    response = client.get(URL, {"cursor": structures_next.split("cursor=")[1]})
    assert response.status_code == 404 and response.json()["code"] == "invalid_cursor"


def test_the_schema_documents_the_cursor_envelope(api, ana):
    schema = api(ana).get("/api/schema/", {"format": "json"}).json()
    envelope = schema["components"]["schemas"]["PaginatedCardSummaryList"]
    assert set(envelope["properties"]) == {"next", "previous", "results"}
    parameters = {p["name"] for p in schema["paths"]["/api/v1/cards/"]["get"]["parameters"]}
    assert {"cursor", "page_size"} <= parameters and "page" not in parameters
