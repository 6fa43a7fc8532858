"""Bases of the apps' REST views (esms_portal.core.api holds the conventions DRF's settings import).

`PortalSchema` (DRF's DEFAULT_SCHEMA_CLASS, the base of every schema class here): each operation
documents the JSON errors {code, message, details} it may answer, from what the view is (secured,
throttled, taking a body, acting), once for all, so that a client and the fuzzing in CI know every status.

`ActApi`: a view that performs one act on one object (STYLE.md 9). Its OpenAPI description is read
from its attributes, so that one view class serves several acts through a route table
(`as_view(service=..., summary=...)`) or is subclassed per act without an `@extend_schema` of its own.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code stable de l'erreur (ex. `state_conflict`).")
    message = serializers.CharField(help_text="Message en français, à afficher tel quel.")
    details = serializers.JSONField(required=False, help_text="Précisions, par champ pour `invalid`.")


ERRORS = {
    400: "Données ou paramètres invalides (`invalid`, `invalid_filter`, `json_too_deep`, `malformed_request`…).",
    401: "Authentification requise ou jeton invalide.",
    403: "Acte non autorisé pour ce compte (`forbidden`, `forbidden_act`…).",
    404: "Ressource introuvable ou hors de vos organisations ; page hors limites.",
    409: "Conflit d'état (`state_conflict`) ou prérequis manquant (`prerequisite_missing`).",
    413: "Corps de requête ou fichier trop volumineux (`request_too_large`, `file_too_large`).",
    415: "Type de contenu non pris en charge.",
    429: "Trop de requêtes (`throttled`) : réessayez plus tard.",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class PortalSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}}
        for status in self.error_statuses(operation):
            operation["responses"].setdefault(str(status), {"description": ERRORS[status], "content": error})
        # An error a view describes itself (its codes in words) still answers the JSON error.
        for status, response in operation["responses"].items():
            if status >= "400":
                response.setdefault("content", error)
        return operation

    def error_statuses(self, operation) -> set[int]:
        public = any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        secured = not public
        body = "requestBody" in operation
        query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        statuses = {404} if secured or query or "{" in self.path else set()
        if body or query or self.method in WRITES:
            statuses.add(400)
        if secured:
            statuses |= {401, 403}
        if self.method in WRITES:
            statuses.add(403)
            if secured:
                statuses.add(409)
        if body:
            statuses |= {413, 415}
        if self.view.get_throttles():
            statuses.add(429)
        return statuses


class ActSchema(PortalSchema):
    def get_summary(self):
        return self.view.summary or None

    def get_description(self):
        return self.view.doc or super().get_description()

    def get_tags(self):
        return list(self.view.tags)

    def get_request_serializer(self):
        return self.view.InputSerializer

    def get_response_serializers(self):
        return self.view.OutputSerializer


class ActApi(APIView):
    service = None  # staticmethod: the act's service function
    InputSerializer = None  # the body: the service's arguments besides the actor and the object; None for none
    OutputSerializer = None  # the answer
    summary = ""  # French, one line
    doc = ""  # the description when not the view's docstring
    tags: tuple[str, ...] = ()
    schema = ActSchema()


class FileAnswerMixin:
    """A view that answers a file (PDF, PKCS#12, certificate chain) whatever the client accepts;
    its errors are JSON all the same."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)
