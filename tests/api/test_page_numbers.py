"""Lists page by key (esms_portal.core.keyset): a hostile page number or cursor answers a 4xx with the
JSON error on the API and the French page in HTML, never the 500 of an OFFSET past the database's
integers (the reports: `?page=1511481925266769182720`, `?name=a&page=99999999999999999999`)."""

import pytest

from rpps_plus.services.timeline import rpps_number_send, situation_publish
from tests.rpps_plus.conftest import contracts_accepted, gina, registered, site, sms_outbox  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = ["1511481925266769182720", "99999999999999999999", "10001", "0", "-1", "1.5", "abc", "last", "１", "²",
           "eyJrIjpbMSwyXX0", "a" * 500]


@pytest.fixture
def published(registered):  # noqa: F811
    rpps_number_send(registered.professional_id)
    situation_publish(registered.pk)
    return registered


@pytest.mark.parametrize("page", HOSTILE)
def test_a_page_number_on_the_directory_api_is_a_stable_400(api, published, page):
    response = api().get("/api/v1/rpps/annuaire/", {"name": "lef", "page": page})
    assert response.status_code == 400
    assert response.json()["code"] == "page_parameter_removed"


@pytest.mark.parametrize("cursor", HOSTILE)
def test_a_hostile_cursor_on_the_directory_api_is_a_404_json(api, published, cursor):
    response = api().get("/api/v1/rpps/annuaire/", {"name": "lef", "cursor": cursor})
    assert response.status_code == 404
    assert response.json()["code"] == "invalid_cursor"


def test_the_directory_api_pages_until_the_last(api, published):
    first = api().get("/api/v1/rpps/annuaire/", {"name": "lef"}).json()
    assert len(first["results"]) == 1 and first["next"] is None


@pytest.mark.parametrize("cursor", HOSTILE)
def test_a_hostile_cursor_on_the_directory_page_is_the_french_404(client, published, cursor):
    response = client.get("/rpps/annuaire/", {"name": "a", "cursor": cursor})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("page", HOSTILE)
def test_an_old_page_number_on_the_directory_page_shows_its_first_page(client, published, page):
    response = client.get("/rpps/annuaire/", {"name": "lef", "page": page})
    assert response.status_code == 200 and "LEF" in response.content.decode().upper()


@pytest.mark.parametrize("cursor", HOSTILE)
def test_a_paginated_list_answers_404_json_to_a_hostile_cursor(api, alice, cursor):
    response = api(alice).get("/api/v1/structures/", {"cursor": cursor})
    assert response.status_code == 404
    assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("page", HOSTILE)
def test_a_paginated_list_answers_400_json_to_a_page_number(api, alice, page):
    response = api(alice).get("/api/v1/structures/", {"page": page})
    assert response.status_code == 400 and response.json()["code"] == "page_parameter_removed"
