import re

import yaml
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema


def test_the_schema_is_a_valid_openapi_document_listing_the_structures(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/structures/", "/api/v1/structures/{id}/", "/api/v1/auth/token/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/structures/"]["get"]["parameters"]}
    assert {"finess", "ej_finess", "legal_entity", "kind", "q", "cursor", "page_size"} <= parameters


def test_the_schema_ui_loads_swagger_from_local_static_files(client, db):
    response = client.get("/api/schema/ui/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert any("swagger-ui-dist" in asset for asset in assets)
    assert not [asset for asset in assets if asset.startswith(("http:", "https:", "//"))]
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
