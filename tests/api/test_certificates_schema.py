import re
from collections import Counter

import yaml
from drf_spectacular.validation import validate_schema

FORM_ACTS = ["start-instruction", "ask-completion", "complete", "withdraw", "accept", "reject"]
PREFIX = "/api/v1/certificates/"


def test_the_certificate_endpoints_are_documented(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths[PREFIX]) == {"get", "post"}
    assert {"organisation", "profile", "state", "software", "expiring_days", "cursor"} <= {
        p["name"] for p in paths[PREFIX]["get"]["parameters"]
    }
    assert set(paths[PREFIX]["post"]["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    generated = paths[f"{PREFIX}generated-key/"]["post"]["responses"]["201"]["content"]
    assert set(generated) == {"application/json", "application/x-pkcs12"}
    assert "application/pem-certificate-chain" in paths[f"{PREFIX}{{id}}/chain/pem/"]["get"]["responses"]["200"][
        "content"]
    assert "application/pkcs7-mime" in paths[f"{PREFIX}{{id}}/chain/der/"]["get"]["responses"]["200"]["content"]
    for act in ("pkcs12", "revoke", "renew"):
        assert set(paths[f"{PREFIX}{{id}}/{act}/"]) == {"post"}
    for form in ("f413", "f503"):
        assert set(paths[f"{PREFIX}{form}/"]) == {"get", "post"}
        for act in FORM_ACTS:
            assert set(paths[f"{PREFIX}{form}/{{id}}/{act}/"]) == {"post"}
    components = schema["components"]["schemas"]
    assert not {"pkcs12", "der"} & set(components["CertificateDetail"]["properties"])
    assert components["CertificateOrderGeneratedInput"]["properties"]["passphrase"]["writeOnly"] is True


def test_operation_ids_are_unique(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    ids = Counter(op["operationId"] for item in schema["paths"].values() for op in item.values())
    assert [name for name, count in ids.items() if count > 1 and "certificates" in name] == []


def test_the_certificate_endpoints_build_without_schema_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    # Only the certificates' own problems: other apps test their endpoints themselves.
    ours = re.compile(r"certificat|F413|F503|TechnicalAdministrator|Readiness", re.IGNORECASE)
    problems = [m for m in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if ours.search(m)]
    assert problems == []
