import pytest

from contracts.models import StructureKind
from tests.factories import StructureFactory

URL = "/api/v1/structures/"


def names(response):
    return sorted(item["name"] for item in response.json()["results"])


def test_a_member_lists_the_structures_of_his_organisation_only(api, alice, alpha, beta):
    response = api(alice).get(URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    assert names(response) == ["Association Alpha", "EHPAD Les Tilleuls", "SSIAD Alpha"]


def test_an_ans_agent_lists_every_structure(api, ana, alpha, beta):
    assert len(api(ana).get(URL).json()["results"]) == 5


def test_an_item_carries_the_structure_and_its_legal_entity(api, alice, alpha):
    site = alpha.sites_for_test[0]
    (item,) = api(alice).get(URL, {"finess": site.finess}).json()["results"]
    assert item["id"] == str(site.pk) and item["kind"] == "EG"
    assert item["legal_entity"] == str(alpha.pk) and item["ej_finess"] == alpha.finess
    assert item["competent_authority"] == "ARS" and item["is_open"] is True


@pytest.mark.rule("R-FIN-1")
def test_filter_by_finess(api, alice, alpha):
    site = alpha.sites_for_test[1]
    assert names(api(alice).get(URL, {"finess": site.finess})) == ["SSIAD Alpha"]


@pytest.mark.rule("R-FIN-1")
def test_a_malformed_finess_filter_is_a_400_invalid_finess(api, alice, alpha):
    wrong = alpha.finess[:8] + str((int(alpha.finess[8]) + 1) % 10)
    for value in (wrong, "12345", "ABCDEFGHI"):
        response = api(alice).get(URL, {"finess": value})
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_finess"
        assert body["message"].startswith("Numéro FINESS invalide")
        assert "finess" in body["details"]


@pytest.mark.rule("R-FIN-1")
def test_filter_by_legal_entity_uuid_or_ej_finess(api, ana, alpha, beta):
    assert len(api(ana).get(URL, {"legal_entity": alpha.pk}).json()["results"]) == 3
    assert names(api(ana).get(URL, {"ej_finess": beta.finess})) == ["Fondation Beta", "IME Beta"]
    response = api(ana).get(URL, {"ej_finess": beta.finess, "kind": StructureKind.EG})
    assert names(response) == ["IME Beta"]


def test_other_malformed_filters_are_a_400_invalid_filter(api, alice):
    for params in ({"legal_entity": "pas-un-uuid"}, {"kind": "XX"}, {"q": "a"}):
        response = api(alice).get(URL, params)
        assert response.status_code == 400 and response.json()["code"] == "invalid_filter"
        assert response.json()["message"] == "Paramètre de filtre invalide."


def test_filter_by_name(api, alice, alpha):
    assert names(api(alice).get(URL, {"q": "tilleul"})) == ["EHPAD Les Tilleuls"]


@pytest.mark.rule("R-FIN-3")
def test_a_structure_identified_by_siret_is_listed_and_filtered_by_siret(api, alice, alpha):
    StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074", name="Éditeur Alpha")
    (item,) = api(alice).get(URL, {"siret": "73282932000074"}).json()["results"]
    assert item["finess"] is None and item["siret"] == "73282932000074"
    response = api(alice).get(URL, {"siret": "73282932000075"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_siret"


def test_an_outsider_filtering_on_another_organisation_gets_nothing(api, charlie, alpha):
    response = api(charlie).get(URL, {"legal_entity": alpha.pk})
    assert response.status_code == 200 and len(response.json()["results"]) == 0


def test_the_list_is_paginated(api, ana, alpha):
    StructureFactory.create_batch(5, legal_entity=alpha)
    body = api(ana).get(URL, {"page_size": 3}).json()
    assert len(body["results"]) == 3 and "cursor=" in body["next"] and "count" not in body
    second = api(ana).get(body["next"]).json()
    last = api(ana).get(second["next"]).json()
    assert len(last["results"]) == 2 and last["next"] is None
    seen = [item["id"] for page in (body, second, last) for item in page["results"]]
    assert len(set(seen)) == 8
    back = api(ana).get(last["previous"]).json()
    assert back["results"] == second["results"]


def test_a_tampered_cursor_is_a_json_404(api, alice, alpha):
    response = api(alice).get(URL, {"cursor": "eyJvIjoiZmluZXNzIn0:forged"})
    assert response.status_code == 404 and response.json()["code"] == "invalid_cursor"


def test_a_page_number_is_refused_with_a_json_400(api, alice, alpha):
    response = api(alice).get(URL, {"page": 2})
    assert response.status_code == 400 and response.json()["code"] == "page_parameter_removed"


def test_without_a_token_the_answer_is_401(api, alpha):
    response = api().get(URL)
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "Authentification requise."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(api, alpha):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(URL)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_writing_to_the_list_is_a_405(api, ana):
    response = api(ana).post(URL, {"name": "Nouvelle"}, format="json")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "Méthode non autorisée."}
    assert "GET" in response["Allow"]


def test_the_list_costs_the_same_queries_whatever_the_number_of_structures(
    api, alice, alpha, django_assert_num_queries
):
    client = api(alice)
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(URL)
    StructureFactory.create_batch(20, legal_entity=alpha)
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 23
