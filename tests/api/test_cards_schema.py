import re

import yaml
from drf_spectacular.validation import validate_schema

FORM_ACTS = ["start-instruction", "ask-completion", "complete", "withdraw", "accept", "reject"]


def test_the_card_endpoints_are_documented(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/cards/"]) == {"get"}
    assert {"organisation", "state", "family", "holder", "expiring_days", "cursor"} <= {
        p["name"] for p in paths["/api/v1/cards/"]["get"]["parameters"]
    }
    for act in ("oppose", "activate", "holder"):
        assert set(paths[f"/api/v1/cards/{{id}}/{act}/"]) == {"post"}
    assert set(paths["/api/v1/cards/{id}/incidents/"]) == {"get", "post"}
    for form in ("f101", "f301", "f502"):
        assert set(paths[f"/api/v1/card-forms/{form}/"]) == {"get", "post"}
        for act in FORM_ACTS:
            assert set(paths[f"/api/v1/card-forms/{form}/{{id}}/{act}/"]) == {"post"}
    components = schema["components"]["schemas"]
    assert "pin_hash" not in components["CardDetail"]["properties"]
    assert {"lines", "unmet_prerequisites", "available_acts", "history"} <= set(components["F301"]["properties"])


def test_the_card_endpoints_build_without_schema_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    # Only the cards' own problems: other apps test their endpoints themselves.
    ours = re.compile(r"card|F101|F301|F502|F414", re.IGNORECASE)
    problems = [m for m in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if ours.search(m)]
    assert problems == []
