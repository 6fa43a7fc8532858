"""A FHIR client library no one here wrote (fhirpy's SyncFHIRClient) runs the searches end to end
against a live server: reads, searches by identifier and name, includes, and pages it follows itself."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from rpps_plus.fhir import codes
from tests.fhir.conftest import HIDDEN_RPPS, validated


@pytest.fixture
def fhir_client(live_server):
    return SyncFHIRClient(f"{live_server.url}/fhir", extra_headers={"Accept": "application/fhir+json"})


def _raw(searchset) -> dict:
    """The Bundle as served (fetch_raw turns entries into fhirpy resources: back to plain dicts)."""
    bundle = searchset.fetch_raw()
    return validated(json.loads(json.dumps(bundle, default=lambda resource: resource.serialize())))


def test_fhirpy_reads_and_searches_the_directory(fhir_client, people, alpha):
    julie = people["julie"]
    practitioner = fhir_client.reference("Practitioner", str(julie.pk)).to_resource()
    assert practitioner["identifier"][1] == {"use": "official", "system": codes.RPPS, "value": "10000000001",
                                             "type": {"coding": [{"system": codes.IDENTIFIER_TYPE, "code": "RPPS"}]}}
    found = fhir_client.resources("Practitioner").search(identifier=f"{codes.IDNAT_PS}|810000000001").fetch()
    assert [resource.id for resource in found] == [str(julie.pk)]
    assert fhir_client.resources("Practitioner").search(identifier=HIDDEN_RPPS).fetch() == []
    by_name = fhir_client.resources("Practitioner").search(family="lefèvre", given="jul").revinclude(
        "PractitionerRole", "practitioner")
    bundle = _raw(by_name)
    Bundle.model_validate(bundle)
    kinds = sorted(entry["resource"]["resourceType"] for entry in bundle["entry"])
    assert kinds == ["Practitioner", "PractitionerRole", "PractitionerRole"]
    site = alpha.sites_for_test[1]
    roles = fhir_client.resources("PractitionerRole").search(organization=f"Organization/{site.pk}").include(
        "PractitionerRole", "organization").include("PractitionerRole", "practitioner")
    included = {(entry["resource"]["resourceType"], entry["search"]["mode"]) for entry in _raw(roles)["entry"]}
    assert included == {("PractitionerRole", "match"), ("Organization", "include"), ("Practitioner", "include")}
    organizations = fhir_client.resources("Organization").search(partof=f"Organization/{alpha.pk}").fetch()
    assert sorted(resource.id for resource in organizations) == sorted(str(s.pk) for s in alpha.sites_for_test)


def test_fhirpy_follows_the_next_links_to_the_last_page(fhir_client, people):
    every = fhir_client.resources("PractitionerRole").limit(1).fetch_all()
    expected = {str(people[name].pk) for name in ("julie_site", "julie_second", "marc_second", "ines_beta")}
    assert sorted(resource.id for resource in every) == sorted(expected)
    assert len(fhir_client.resources("Practitioner").search(active="true").limit(2).fetch_all()) == 3


def test_fhirpy_meets_the_operation_outcomes(fhir_client, people):
    with pytest.raises(ResourceNotFound):
        fhir_client.reference("Practitioner", str(people["double"].pk)).to_resource()
    with pytest.raises(OperationOutcome) as refused:
        fhir_client.resources("Practitioner").search(birthdate="1980-01-01").fetch()
    assert "birthdate" in str(refused.value)
