"""API conventions shared by every app: pagination, filters and JSON errors {code, message, details}.

DRF imports this module from its settings (pagination, exception handler): it must not define views.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from esms_portal.core import feeds, keyset
from esms_portal.core.bodies import check_depth
from esms_portal.core.errors import InvalidInput, JsonTooDeep, PortalError


class Pagination(CursorPagination):
    """Every list of the API: `{next, previous, results}`, `next`/`previous` links carrying an opaque
    `cursor` (keyset pagination, esms_portal.core.keyset): the same cost on any page, no total count.
    The list's own ordering is the key; a bad cursor is a 404 `invalid_cursor`. Every list is also a
    change feed (`updated_since`, `ordering=updated_at`: esms_portal.core.feeds)."""

    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_description = "Curseur opaque de la page : suivez les liens `next` et `previous`."
    page_size_query_description = "Nombre de résultats par page (500 au plus)."

    def paginate_queryset(self, queryset, request, view=None):
        if "page" in request.query_params:
            raise InvalidInput("La pagination se fait par curseur : suivez les liens « next » et « previous ».",
                               code="page_parameter_removed")
        self.base_url = request.build_absolute_uri()
        queryset = feeds.changes(queryset, request.query_params)
        self.keyset_page = keyset.page(queryset, request.query_params.get(self.cursor_query_param),
                                       self.get_page_size(request))
        return self.keyset_page.rows

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), *feeds.SCHEMA_PARAMETERS]

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.keyset_page.next)

    def get_previous_link(self):
        return self._link(self.keyset_page.previous)


class JSONParser(parsers.JSONParser):
    """DRF's, refusing a body nested too deep (400 `json_too_deep`) instead of a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise JsonTooDeep() from None
        check_depth(data)
        return data


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


# French messages of the filter errors whose code is stable across the API.
_FILTER_MESSAGES = {
    "invalid_finess": "Numéro FINESS invalide : 9 caractères dont une clé de contrôle.",
    "invalid_siret": "Numéro SIRET invalide : 14 chiffres dont une clé de contrôle.",
}


def parse_filters(serializer_class, query_params) -> dict:
    """Validate a list's query parameters; a bad one is a 400 whose code names the first problem."""
    serializer = serializer_class(data=query_params)
    if serializer.is_valid():
        data = serializer.validated_data
        return {key: value for key, value in data.items() if value not in ("", None)}
    codes = [error.code for errors in serializer.errors.values() for error in errors]
    code = next((c for c in codes if c in _FILTER_MESSAGES), "invalid_filter")
    message = _FILTER_MESSAGES.get(code, "Paramètre de filtre invalide.")
    raise InvalidInput(message, code=code, details=serializer.errors)


def validated_input(serializer_class, request) -> dict:
    """The request's body as `serializer_class` validates it (a 400 `invalid` otherwise); {} for an
    act that takes no body (`serializer_class` None)."""
    if serializer_class is None:
        return {}
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def paginated_response(*, queryset, serializer_class, request, view) -> Response:
    """Paginate a list in an APIView; its `pagination_class` also documents the envelope."""
    pagination_class = getattr(view, "pagination_class", None) or Pagination
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


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
    code, message = next(
        (pair for exc_class, pair in _DRF_ERRORS.items() if isinstance(exc, exc_class)),
        ("error", "La requête n'a pas pu être traitée."),
    )
    if getattr(exc, "portal_code", None):  # a refusal with its own stable code (api_auth.TokenExpired)
        code, message = exc.portal_code, str(exc.detail)
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

