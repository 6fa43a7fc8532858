"""HTTP of `/fhir/`: anonymous reads and searches, throttled per client address like the directory API,
answered in application/fhir+json; every refusal is an OperationOutcome with its status (400 bad
search, 404 unknown id or type, 405 a write, 406 a format other than JSON, 415 a POST search not
form-encoded, 429 too many requests)."""

import json
from functools import wraps

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from esms_portal.core.client import client_address

from ..api import DirectoryThrottle
from . import capability, codes, search
from .params import FhirError, NotAcceptable, Throttled, UnsupportedMediaType

CAPABILITY_DATE = "2026-12-03"
JSON_TYPES = {"application/fhir+json", "application/json", "application/json+fhir"}
ACCEPTED = JSON_TYPES | {"application/*", "*/*"}
FORMATS = JSON_TYPES | {"json"}
FHIR_VERSIONS = {"4.0", "4.0.1"}


class FhirThrottle(DirectoryThrottle):
    """The directory API's rate, counted apart, per client address (esms_portal.core.client)."""

    scope = "fhir"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


def answer(body: dict, status: int = 200, **headers) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                            content_type=f"{codes.MEDIA_TYPE}; charset=utf-8")
    response["Vary"] = "Accept"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _refusal(error: FhirError) -> HttpResponse:
    headers = {"Retry_After": "60"} if isinstance(error, Throttled) else {}
    return answer(search.operation_outcome(error.message, code=error.code), error.status, **headers)


def _negotiate(request) -> None:
    requested = request.GET.get("_format")
    if requested is not None:
        if requested.split(";")[0].strip() not in FORMATS:
            raise NotAcceptable
        return
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return
    for part in accept.split(","):
        media, *attributes = (piece.strip() for piece in part.split(";"))
        options = dict(attribute.split("=", 1) for attribute in attributes if "=" in attribute)
        refused = options.get("q", "1").strip() in ("0", "0.0", "0.00", "0.000")
        version_ok = options.get("fhirVersion", "4.0") in FHIR_VERSIONS
        if media.lower() in ACCEPTED and not refused and version_ok:
            return
    raise NotAcceptable


def fhir_view(*methods: str):
    """Method, throttle, content negotiation, then the view; a FhirError becomes its OperationOutcome."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                response = answer(search.operation_outcome(
                    "L'Annuaire Santé FHIR est en lecture seule.", code="not-supported"), 405)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if not FhirThrottle().allow_request(request, None):
                    raise Throttled
                _negotiate(request)
                return view(request, *args, **kwargs)
            except FhirError as error:
                return _refusal(error)

        return wrapped

    return decorate


def _base(request, resource_type: str = "") -> str:
    root = reverse("fhir:metadata").removesuffix("metadata")
    return request.build_absolute_uri(f"{root}{resource_type}")


@fhir_view("GET")
def metadata(request):
    return answer(capability.statement(_base(request), CAPABILITY_DATE))


@fhir_view("GET")
def search_type(request, resource_type):
    kind = search.resource_type(resource_type)
    return answer(search.search(kind, request.GET, _base(request, kind.name)))


@fhir_view("POST")
def search_post(request, resource_type):
    """`POST [type]/_search`: the parameters form-encoded in the body, those of the URL added."""
    kind = search.resource_type(resource_type)
    if request.content_type != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType
    query = request.GET.copy()
    for name in request.POST:
        query.setlist(name, query.getlist(name) + request.POST.getlist(name))
    return answer(search.search(kind, query, _base(request, kind.name)))


@fhir_view("GET")
def read(request, resource_type, resource_id):
    return answer(search.resource_type(resource_type).read(resource_id))


@fhir_view("GET")
def unknown(request, rest):
    raise search.UnknownResource(f"Aucune ressource FHIR à cette adresse : /fhir/{rest}.")
