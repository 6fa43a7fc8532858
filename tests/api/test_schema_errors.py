"""The OpenAPI schema documents every status an operation may answer, with the JSON error
{code, message, details}, from the kernel's PortalSchema; and the directory's page as it is answered."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def test_the_error_schema_is_the_conventions_one(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "details"} and error["required"] == ["code", "message"]


def test_every_operation_documents_its_json_errors(schema):
    missing = {}
    for name, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"404"} if "{" in name else set()
        if operation.get("security") and any(operation["security"]):
            expected |= {"401", "403", "404"}
        if "requestBody" in operation:
            expected |= {"400", "413", "415"}
        if method in ("post", "patch") and any(operation.get("security") or [{}]):
            expected |= {"400", "409"}
        absent = expected - set(responses)
        if absent:
            missing[name] = sorted(absent)
        for status, response in responses.items():
            if status >= "400":
                assert response["content"]["application/json"]["schema"] == ERROR, (name, status)
    assert missing == {}


def test_throttled_operations_document_429(schema):
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in schema["paths"]["/api/v1/rpps/annuaire/"]["get"]["responses"]
    assert "429" not in schema["paths"]["/api/v1/structures/"]["get"]["responses"]


def test_the_directory_search_answers_a_page_not_an_array(schema):
    ok = schema["paths"]["/api/v1/rpps/annuaire/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"results", "next", "previous"}  # cursor links (core.keyset)
    assert page["properties"]["results"]["type"] == "array"
    assert page["properties"]["next"]["nullable"] is True
    assert "cursor" in {p["name"] for p in schema["paths"]["/api/v1/rpps/annuaire/"]["get"]["parameters"]}
