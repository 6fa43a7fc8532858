"""A page number that is not an integer from 1 to the last page answers 404 (JSON on the API), never
the 500 of an OFFSET past the database's integers."""

import pytest

from esms_portal.core.pages import MAX_PAGE
from rpps_plus.services.timeline import rpps_number_send, situation_publish
from tests.rpps_plus.conftest import gina, registered, site, sms_outbox  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE_PAGES = ["1511481925266769182720", "99999999999999999999", str(MAX_PAGE + 1), "0", "-1", "1.5", "abc",
                 "last", "１", "²"]


@pytest.fixture
def published(registered):  # noqa: F811
    rpps_number_send(registered.professional_id)
    situation_publish(registered.pk)
    return registered


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_the_directory_api_answers_404_json_to_a_page_that_is_not_one(api, published, page):
    response = api().get("/api/v1/rpps/annuaire/", {"name": "lef", "page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_directory_api_pages_until_the_last_then_404(api, published):
    first = api().get("/api/v1/rpps/annuaire/", {"name": "lef", "page": "1"}).json()
    assert len(first["results"]) == 1 and first["next_page"] is None
    assert api().get("/api/v1/rpps/annuaire/", {"name": "lef", "page": "2"}).status_code == 404


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_the_directory_page_answers_404_to_a_page_that_is_not_one(client, published, page):
    response = client.get("/rpps/annuaire/", {"name": "a", "page": page})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_directory_page_still_shows_its_first_page(client, published):
    response = client.get("/rpps/annuaire/", {"name": "lef", "page": "1"})
    assert response.status_code == 200 and "LEF" in response.content.decode().upper()


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_a_paginated_list_answers_404_json_to_a_page_that_is_not_one(api, alice, page):
    response = api(alice).get("/api/v1/structures/", {"page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
