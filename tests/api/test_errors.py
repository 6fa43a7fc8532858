"""The JSON error conventions of esms_portal.core.api, on the exceptions any app's API may raise."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions

from esms_portal.core.api import exception_handler
from esms_portal.core.errors import InvalidInput, StateConflict


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_a_domain_error_keeps_its_code_status_and_french_message():
    assert handle(StateConflict()) == (
        409,
        {
            "code": "state_conflict",
            "message": "Cette demande a changé d'état entre-temps : rechargez la page.",
        },
    )


def test_a_domain_error_may_carry_details():
    status, body = handle(InvalidInput("Numéro invalide.", code="invalid_finess", details={"finess": ["x"]}))
    assert (status, body["code"], body["details"]) == (400, "invalid_finess", {"finess": ["x"]})


def test_a_django_validation_error_is_a_400_invalid():
    status, body = handle(ValidationError("Valeur refusée."))
    assert (status, body["code"], body["details"]) == (400, "invalid", ["Valeur refusée."])


def test_django_404_and_403_become_json():
    assert handle(Http404()) == (404, {"code": "not_found", "message": "Ressource introuvable."})
    assert handle(PermissionDenied())[1]["code"] == "forbidden"


def test_a_malformed_body_is_a_400_malformed_request():
    assert handle(exceptions.ParseError())[1]["code"] == "malformed_request"


def test_an_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/v1/nulle-part/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Ressource introuvable."}
