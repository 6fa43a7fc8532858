"""The CapabilityStatement, and the refusals: OperationOutcomes with the right status (400 a bad search,
405 a write, 406 a format other than JSON, 415 a POST search not form-encoded, 429 too many requests)."""

import pytest

from rpps_plus.fhir import views
from tests.fhir.conftest import FHIR_JSON, fhir, validated


def test_the_capability_statement_lists_the_resources_their_searches_and_includes(client):
    statement = fhir(client, "metadata")
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    assert FHIR_JSON in statement["format"]
    resources = {resource["type"]: resource for resource in statement["rest"][0]["resource"]}
    assert set(resources) == {"Practitioner", "PractitionerRole", "Organization"}
    params = {kind: {param["name"] for param in resource["searchParam"]} for kind, resource in resources.items()}
    assert {"identifier", "name", "family", "given", "active", "_lastUpdated"} <= params["Practitioner"]
    assert {"organization", "practitioner", "role", "specialty"} <= params["PractitionerRole"]
    assert {"identifier", "name", "partof", "_lastUpdated"} <= params["Organization"]
    assert resources["Practitioner"]["searchRevInclude"] == ["PractitionerRole:practitioner"]
    assert resources["PractitionerRole"]["searchInclude"] == ["PractitionerRole:practitioner",
                                                              "PractitionerRole:organization"]
    assert resources["Organization"]["searchRevInclude"] == ["PractitionerRole:organization"]
    assert all(resource["profile"].endswith(f"as-dp-{kind.lower()}") for kind, resource in resources.items())


@pytest.mark.parametrize("params", [
    {"birthdate": "1980-01-01"},  # unknown parameter
    {"name:contains": "lef"},  # a modifier
    {"active": "yes"},
    {"_count": "0"}, {"_count": "-3"}, {"_count": "many"},
    {"_lastUpdated": "yesterday"}, {"_lastUpdated": "ge2026-13-01"}, {"_lastUpdated": "sa2026-01-01"},
    {"_include": "PractitionerRole:organization"},  # an include Practitioner does not offer
    {"_revinclude": "Encounter:practitioner"},
    {"_cursor": "forged"},
    {"identifier": "|"},
    {"name": ["a", "b"]},  # repeated
])
def test_a_bad_search_is_a_400_operation_outcome(client, people, params):
    outcome = fhir(client, "Practitioner", status=400, **params)
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["severity"] == "error"
    assert outcome["issue"][0]["diagnostics"]


def test_a_reference_to_another_type_is_refused(client):
    assert fhir(client, "PractitionerRole", status=400, organization="Practitioner/1")["issue"][0]["code"] == "invalid"


def test_writes_are_refused_with_405(client, people):
    for method in (client.post, client.put, client.delete):
        response = method(f"/fhir/Practitioner/{people['julie'].pk}", {}, content_type=FHIR_JSON)
        assert response.status_code == 405 and "GET" in response["Allow"]
        validated(response.json())
    response = client.post("/fhir/Practitioner", "{}", content_type=FHIR_JSON)
    assert response.status_code == 405 and validated(response.json())


@pytest.mark.parametrize("accept", ["application/fhir+xml", "text/html", "application/xml;q=1, application/json;q=0",
                                    "application/fhir+json; fhirVersion=5.0"])
def test_a_format_other_than_fhir_json_is_a_406(client, accept):
    response = client.get("/fhir/metadata", HTTP_ACCEPT=accept)
    assert response.status_code == 406 and response["Content-Type"].startswith(FHIR_JSON)
    assert validated(response.json())["issue"][0]["code"] == "not-supported"


def test_json_is_served_whatever_json_form_is_asked(client):
    for accept in ("application/json", "*/*", "application/fhir+json; fhirVersion=4.0", ""):
        response = client.get("/fhir/metadata", HTTP_ACCEPT=accept)
        assert response.status_code == 200 and validated(response.json())
    response = client.get("/fhir/metadata", {"_format": "json"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and validated(response.json())
    response = client.get("/fhir/metadata", {"_format": "xml"})
    assert response.status_code == 406 and validated(response.json())


def test_a_post_search_is_form_encoded_or_a_415(client, people):
    response = client.post("/fhir/Practitioner/_search?_count=5", "identifier=10000000001",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert [entry["resource"]["id"] for entry in validated(response.json())["entry"]] == [str(people["julie"].pk)]
    response = client.post("/fhir/Practitioner/_search", '{"identifier": "10000000001"}',
                           content_type="application/json")
    assert response.status_code == 415 and validated(response.json())["issue"][0]["code"] == "not-supported"
    response = client.post("/fhir/Practitioner/_search", {"identifier": "10000000001"})  # multipart
    assert response.status_code == 415 and validated(response.json())


def test_a_post_search_needs_no_csrf_token(people):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/fhir/Practitioner/_search", "identifier=10000000001",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and len(validated(response.json())["entry"]) == 1


def test_anonymous_clients_are_throttled_per_address_with_an_operation_outcome(client, monkeypatch):
    monkeypatch.setattr(views.FhirThrottle, "rate", "3/min")
    for _ in range(3):
        response = client.get("/fhir/metadata", REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 200 and validated(response.json())
    response = client.get("/fhir/Practitioner", REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert validated(response.json())["issue"][0]["code"] == "throttled"
    response = client.get("/fhir/metadata", REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 200 and validated(response.json())


NASTY = ["\x00", "a\x00b", "\U0010ffff", "'; DROP TABLE x; --", "%", "_", "|", ",", "a" * 5000, "é" * 3, "Ω|Ω",
         "Organization/", "/", "9" * 40, "ge", "2026-01-01T25:00:00Z", "🙂"]


@pytest.mark.parametrize("path", ["Practitioner", "PractitionerRole", "Organization"])
def test_no_value_of_any_parameter_makes_a_500(client, people, path, monkeypatch):
    from rpps_plus.fhir.search import TYPES

    monkeypatch.setattr(views.FhirThrottle, "rate", "10000/min")
    for name in [*TYPES[path].parameters, "_count", "_cursor", "_include", "_revinclude"]:
        for value in NASTY:
            response = client.get(f"/fhir/{path}", {name: value})
            assert response.status_code in (200, 400), (name, value, response.status_code)
            validated(response.json())
    for value in NASTY[1:]:
        response = client.get(f"/fhir/{path}/{value}")
        assert response.status_code in (404, 400), (value, response.status_code)


def test_the_openapi_description_says_where_the_fhir_directory_is(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/fhir/metadata" in response.json()["info"]["description"]
