import yaml
from drf_spectacular.validation import validate_schema

ACTS = ["submit", "withdraw", "start-instruction", "ask-completion", "complete", "accept", "reject", "terminate"]


def test_the_contract_endpoints_are_documented(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/contracts/"]) == {"get", "post"}
    assert set(paths["/api/v1/contracts/{id}/"]) == {"get", "patch"}
    for act in ACTS:
        assert set(paths[f"/api/v1/contracts/{{id}}/{act}/"]) == {"post"}
    assert set(paths["/api/v1/requests/contrats/{id}/messages/"]) == {"get", "post"}  # esms_portal.dialogue
    proof = paths["/api/v1/contracts/{id}/proof/"]
    assert list(proof["get"]["responses"]["200"]["content"]) == ["application/pdf"]
    assert list(proof["post"]["requestBody"]["content"]) == ["multipart/form-data"]
    assert "state" in {p["name"] for p in paths["/api/v1/contracts/"]["get"]["parameters"]}
    detail = schema["components"]["schemas"]["ContractDetail"]["properties"]
    assert {"available_acts", "has_proof", "instruction_days", "timeliness", "history"} <= set(detail)
    assert "proof_file" not in detail
