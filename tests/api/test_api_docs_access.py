"""PORTAL_API_DOCS_PUBLIC: the OpenAPI schema and its Swagger UI for anyone, or for signed-in users."""

import pytest


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/ui/", "/api/schema/ui/?script="])
def test_public_docs_answer_anyone(client, db, settings, path):
    settings.PORTAL_API_DOCS_PUBLIC = True
    assert client.get(path).status_code == 200


def test_private_docs_refuse_an_anonymous_program_and_send_a_visitor_to_the_login(client, db, settings):
    settings.PORTAL_API_DOCS_PUBLIC = False
    response = client.get("/api/schema/")
    assert response.status_code == 401 and b"not_authenticated" in response.content
    ui = client.get("/api/schema/ui/")
    assert ui.status_code == 302 and ui.url.startswith("/connexion/?next=/api/schema/ui/")


def test_private_docs_answer_a_signed_in_user_and_a_token(client, api, alice, settings):
    settings.PORTAL_API_DOCS_PUBLIC = False
    assert api(alice).get("/api/schema/").status_code == 200
    client.force_login(alice)
    assert client.get("/api/schema/ui/").status_code == 200
    assert client.get("/api/schema/ui/?script=").status_code == 200


def test_the_swagger_ui_page_carries_no_inline_script(client, db):
    page = client.get("/api/schema/ui/").content.decode()
    assert "<script>" not in page and '<script src="/api/schema/ui/?script=' in page
