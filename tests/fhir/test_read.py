"""Reading one resource by id, shaped as the ANS guide's public-data profiles (as-dp-*)."""

from rpps_plus.fhir import codes
from tests.fhir.conftest import fhir


def _identifiers(resource: dict) -> dict:
    return {identifier["system"]: identifier["value"] for identifier in resource["identifier"]}


def test_a_practitioner_has_his_national_identifiers_and_practice_names(client, people):
    julie = people["julie"]
    practitioner = fhir(client, f"Practitioner/{julie.pk}")
    assert practitioner["meta"]["profile"] == [codes.PROFILES["Practitioner"]]
    assert _identifiers(practitioner) == {codes.IDNAT_PS: "810000000001", codes.RPPS: "10000000001"}
    assert practitioner["active"] is True
    assert practitioner["name"] == [{"use": "usual", "family": "Lefèvre", "given": ["Julie"]}]


def test_a_practitioner_role_has_the_profession_role_and_mode_codes_of_the_guide(client, people, alpha):
    role = fhir(client, f"PractitionerRole/{people['marc_second'].pk}")
    assert role["meta"]["profile"] == [codes.PROFILES["PractitionerRole"]]
    assert role["practitioner"] == {"reference": f"Practitioner/{people['marc'].pk}"}
    assert role["organization"] == {"reference": f"Organization/{alpha.sites_for_test[1].pk}"}
    codings = {coding["system"]: (coding["code"], coding["display"]) for coding in role["code"][0]["coding"]}
    assert codings == {
        codes.R85_PROFESSION: ("313", "Aide-soignant"),
        codes.R22_ROLE: ("GENR11", "Accompagnement social/médico-social au soin"),
        codes.R23_MODE: ("S", "Salarié"),
    }
    assert codes.R85_PROFESSION == "https://mos.esante.gouv.fr/NOS/TRE_R85-RolePriseCharge/FHIR/TRE-R85-RolePriseCharge"
    assert codes.R22_ROLE == "https://mos.esante.gouv.fr/NOS/TRE_R22-GenreActivite/FHIR/TRE-R22-GenreActivite"


def test_a_site_is_a_geographical_entity_part_of_its_legal_entity(client, alpha):
    site = alpha.sites_for_test[0]
    site.address, site.postal_code, site.city = "3 rue des Tilleuls", "69003", "Lyon"
    site.save()
    organization = fhir(client, f"Organization/{site.pk}")
    assert organization["meta"]["profile"] == [codes.PROFILES["Organization"]]
    assert _identifiers(organization) == {codes.IDNAT_ST: f"1{site.finess}", codes.FINESS: site.finess}
    assert organization["type"][0]["coding"][0] == {"system": codes.ORGANIZATION_TYPE, "code": "GEOGRAPHICAL-ENTITY"}
    assert organization["name"] == "EHPAD Les Tilleuls" and organization["active"] is True
    assert organization["address"] == [{"use": "work", "type": "both", "line": ["3 rue des Tilleuls"],
                                        "postalCode": "69003", "city": "Lyon", "country": "FR"}]
    assert organization["partOf"] == {"reference": f"Organization/{alpha.pk}"}
    legal = fhir(client, f"Organization/{alpha.pk}")
    assert legal["type"][0]["coding"][0]["code"] == "LEGAL-ENTITY" and "partOf" not in legal
    assert "telecom" not in organization


def test_an_unknown_id_is_a_404_operation_outcome(client, people):
    for path in ("Practitioner/999999", "Practitioner/abc", "PractitionerRole/999999",
                 "Organization/00000000-0000-0000-0000-000000000000", "Organization/not-a-uuid"):
        outcome = fhir(client, path, status=404)
        assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == "not-found"


def test_an_unknown_resource_type_or_address_is_a_404_operation_outcome(client):
    assert fhir(client, "Patient", status=404)["issue"][0]["code"] == "not-found"
    assert fhir(client, "Patient/1", status=404)["resourceType"] == "OperationOutcome"
    assert fhir(client, "Practitioner/1/_history", status=404)["resourceType"] == "OperationOutcome"
    assert fhir(client, "", status=404)["resourceType"] == "OperationOutcome"
