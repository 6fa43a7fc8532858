"""The OpenAPI schema says what every operation does (a French summary) and documents the change feeds
on every list; `GET /api/v1/` indexes the entry points in the same words."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_has_a_french_summary(schema):
    missing = [f"{method.upper()} {path}" for path, method, operation in operations(schema)
               if not operation.get("summary")]
    assert missing == []
    summaries = [operation["summary"] for _, _, operation in operations(schema)]
    assert len(summaries) > 90
    english = [s for s in summaries if re.match(r"(?i)(list|get|create|retrieve|update|delete)\b", s)]
    assert english == []


def test_every_list_documents_updated_since_and_ordering(schema):
    lists = [(path, operation) for path, method, operation in operations(schema)
             if method == "get" and any(p["name"] == "cursor" for p in operation.get("parameters", []))]
    assert len(lists) >= 15  # 15 of the apps, and the test app's F999
    for path, operation in lists:
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert parameters["updated_since"]["schema"] == {"type": "string", "format": "date-time"}, path
        assert parameters["ordering"]["schema"]["enum"] == ["updated_at", "-updated_at"], path


def test_the_index_lists_the_entry_points_with_their_description(api, alice, settings):
    settings.PORTAL_API_DOCS_PUBLIC = False
    assert api().get("/api/v1/").status_code == 401
    body = api(alice).get("/api/v1/").json()
    entries = {entry["url"].removeprefix("http://testserver"): entry for entry in body["entry_points"]}
    assert entries["/api/v1/cards/"]["description"] == "Lister les cartes visibles"
    assert entries["/api/v1/cards/"]["methods"] == ["GET"] and entries["/api/v1/cards/"]["name"]
    assert entries["/api/v1/rpps/annuaire/"]["description"] == "Rechercher dans l'Annuaire Santé"
    assert "/api/v1/cards/{id}/" not in entries and "/api/v1/" not in entries
    assert all(entry["description"] for entry in entries.values())
    assert body["schema"] == "http://testserver/api/schema/"


def test_the_index_is_itself_documented(schema):
    assert schema["paths"]["/api/v1/"]["get"]["summary"] == "Index des points d'entrée de l'API"
