"""The portal's French error pages, also with DEBUG on as in `make demo`, and a log without
tracebacks for the 4xx answers the portal gives by design."""

import logging

import pytest


@pytest.fixture
def demo_debug(settings):
    settings.DEBUG = True  # what bin/demo runs with (pytest-django turns it off)
    settings.PORTAL_DEBUG_ERROR_PAGES = False


@pytest.mark.parametrize("path", ["/nulle-part/", "/back-office/etapes/"], ids=["unknown-address", "view-404"])
def test_the_demo_answers_a_missing_page_with_the_portals_french_404(client, alice, demo_debug, path):
    client.force_login(alice)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in page and "Alice Martin" in page  # the portal's page, his menu
    assert "Page not found" not in page and "URLconf" not in page


def test_the_demo_still_adds_the_missing_slash(client, alice, demo_debug):
    client.force_login(alice)
    response = client.get("/structures/recherche")
    assert response.status_code == 301 and response["Location"] == "/structures/recherche/"


def test_a_developer_may_ask_for_djangos_debug_page(client, alice, demo_debug, settings):
    settings.PORTAL_DEBUG_ERROR_PAGES = True
    client.force_login(alice)
    assert "URLconf" in client.get("/nulle-part/").content.decode()


def test_the_api_keeps_its_json_404_in_the_demo(client, alice, demo_debug):
    client.force_login(alice)
    response = client.get("/api/v1/nulle-part/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_demo_answers_a_forbidden_page_with_the_french_403_and_logs_no_traceback(
    client, alice, demo_debug, caplog
):
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/back-office/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    forbidden = [r for r in caplog.records if r.name == "django.request" and "Forbidden" in r.getMessage()]
    assert forbidden, "the 403 is still logged, on one line"
    assert all(r.exc_info is None and not r.exc_text for r in forbidden)
