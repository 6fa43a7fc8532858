"""Hostile bodies never give a 500: JSON nested too deep is a 400 with its code, a body over its cap a
413 answered before anything reads it, and a server error on the API is JSON like every other."""

import pytest
from django.urls import include, path
from rest_framework.views import APIView

from esms_portal.core.bodies import MAX_JSON_DEPTH
from esms_portal.urls import handler400, handler404, handler500  # noqa: F401
from esms_portal.urls import urlpatterns as portal_urls

pytestmark = pytest.mark.django_db

BRACKETS = "[" * 50_000 + "]" * 50_000


def post_json(client, url, body: str, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_fifty_thousand_brackets_to_the_anonymous_token_endpoint_are_a_400(client):
    response = post_json(client, "/api/v1/auth/token/", BRACKETS)
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"


def test_a_body_nested_deeper_than_the_limit_is_refused_even_below_pythons_recursion_limit(client):
    body = '{"email": ' + "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1) + "}"
    response = post_json(client, "/api/v1/auth/token/", body)
    assert (response.status_code, response.json()["code"]) == (400, "json_too_deep")


def test_deep_json_to_an_authenticated_endpoint_is_a_400(api, alice):
    response = api(alice).post("/api/v1/rpps/situations/", BRACKETS, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "json_too_deep")


@pytest.mark.parametrize("body", [BRACKETS, "[]", '"token"'])
def test_the_card_login_json_pages_refuse_a_deep_or_non_object_body_without_a_500(client, body):
    assert post_json(client, "/connexion/carte/agent/", body).status_code == 400
    assert post_json(client, "/connexion/carte/retrait/", body).json() == {"ended": False}


def test_a_json_body_over_its_cap_is_a_413_before_it_is_read(client, settings):
    body = '{"email": "a@b.fr", "password": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
    response = post_json(client, "/api/v1/auth/token/", body)
    assert response.status_code == 413
    assert response.json() == {"code": "request_too_large",
                               "message": "La requête dépasse la taille maximale de 1 Mo."}


def test_an_upload_over_the_request_cap_is_a_413_even_before_authentication(client, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    response = client.post("/api/v1/rpps/imports/", {"file": ("trame.csv", b"x" * 2048)})
    assert response.status_code == 413  # anonymous: the 401 would come from the view, never reached
    assert response.json()["code"] == "request_too_large"


def test_a_page_upload_over_the_cap_answers_the_french_413_page(client, alice, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    client.force_login(alice)
    response = client.post("/rpps/import/", {"file": ("trame.csv", b"x" * 2048)})
    assert response.status_code == 413
    assert "La requête dépasse la taille maximale" in response.content.decode()


# A view that fails, on the portal's own URLs and error handlers (handler404/500 imported above).
class FailingApi(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [path("api/v1/panne/", FailingApi.as_view()), path("", include(portal_urls))]


@pytest.mark.urls(__name__)
def test_an_api_server_error_is_the_json_error_of_the_conventions(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/panne/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"



def test_what_django_refuses_before_the_view_is_json_on_the_api(api, alice, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{i}": "x" for i in range(20)}
    response = api(alice).post("/api/v1/rpps/imports/", fields, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"code": "malformed_request", "message": "Requête mal formée."}
