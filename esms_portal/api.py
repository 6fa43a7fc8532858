"""API conventions shared by every app: pagination and JSON errors {code, message, details}."""

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import PortalError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


# Stable codes for DRF's own exceptions, with the French message users read.
_DRF_ERRORS = {
    exceptions.NotAuthenticated: ("not_authenticated", "Authentification requise."),
    exceptions.AuthenticationFailed: ("authentication_failed", "Identifiants ou jeton invalides."),
    exceptions.PermissionDenied: ("forbidden", "Vous n'avez pas le droit d'accéder à cette ressource."),
    exceptions.NotFound: ("not_found", "Ressource introuvable."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Méthode non autorisée."),
    exceptions.NotAcceptable: ("not_acceptable", "Format de réponse non disponible."),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "Type de contenu non pris en charge."),
    exceptions.Throttled: ("throttled", "Trop de requêtes : réessayez plus tard."),
    exceptions.ParseError: ("malformed_request", "Requête mal formée."),
    exceptions.ValidationError: ("invalid", "Les données transmises sont invalides."),
}


def error_response(code: str, message: str, http_status: int, details=None) -> Response:
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, PortalError):
        return error_response(exc.code, exc.message, exc.status, exc.details)
    if isinstance(exc, DjangoValidationError):
        return error_response("invalid", "Les données transmises sont invalides.", 400, exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    for exc_class, (code, message) in _DRF_ERRORS.items():
        if isinstance(exc, exc_class):
            break
    else:
        code, message = "error", "La requête n'a pas pu être traitée."
    details = response.data if isinstance(exc, exceptions.ValidationError) else None
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        message = f"Trop de requêtes : réessayez dans {int(exc.wait)} s."
    wrapped = error_response(code, message, response.status_code, details)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            wrapped[header] = response[header]
    return wrapped


def not_found_json(request, exception=None):
    return error_response("not_found", "Ressource introuvable.", status.HTTP_404_NOT_FOUND)
