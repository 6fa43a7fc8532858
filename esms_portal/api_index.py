"""`GET /api/v1/`: the index of the API's entry points (name, URL, description), read from the OpenAPI
schema so that it lists every route the schema documents and says what each does in the same words.

An entry point is a route without a path parameter (`/api/v1/cards/`, not `/api/v1/cards/{id}/`): the
others are reached from the objects it lists. The schema is built once per process.
"""

from functools import cache

from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.api_docs import MayReadApiDocs

PREFIX = "/api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def entry_points() -> tuple[dict, ...]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    entries = []
    for path, operations in schema["paths"].items():
        if not path.startswith(PREFIX) or "{" in path or path == PREFIX:
            continue
        methods = [method for method in METHODS if method in operations]
        main = operations.get("get") or operations[methods[0]]
        entries.append({"name": resolve(path).url_name or main["operationId"], "path": path,
                        "methods": [method.upper() for method in methods], "description": main.get("summary", ""),
                        "tags": main.get("tags", [])})
    return tuple(entries)


class ApiIndexApi(APIView):
    """The API's entry points and where its documentation is."""

    permission_classes = [MayReadApiDocs]

    @extend_schema(summary="Index des points d'entrée de l'API", tags=["index"], responses=inline_serializer(
        "ApiIndex", {
            "entry_points": inline_serializer("ApiEntryPoint", {
                "name": serializers.CharField(), "url": serializers.URLField(),
                "methods": serializers.ListField(child=serializers.CharField()),
                "description": serializers.CharField(), "tags": serializers.ListField(child=serializers.CharField()),
            }, many=True),
            "schema": serializers.URLField(), "documentation": serializers.URLField(),
        }))
    def get(self, request):
        entries = [{"name": entry["name"], "url": request.build_absolute_uri(entry["path"]),
                    "methods": entry["methods"], "description": entry["description"], "tags": entry["tags"]}
                   for entry in entry_points()]
        return Response({"entry_points": entries, "schema": request.build_absolute_uri("/api/schema/"),
                         "documentation": request.build_absolute_uri("/api/schema/ui/")})
