"""Nothing of an unpublished professional, no contact data, no birth data: on every resource and every
search (R-RPP-8, R-RPP-11). Julie's double has her names, an RPPS-like number and three situations
that are not published (pending, ended, active but not yet in the directory)."""

import json

import pytest

from rpps_plus.fhir import codes
from rpps_plus.models import Situation
from tests.fhir.conftest import HIDDEN_RPPS, fhir, validated

PERSON_FIELDS = {"telecom", "birthDate", "address", "gender", "photo", "deceasedBoolean", "deceasedDateTime"}


def _searches(people, alpha, beta) -> list[tuple[str, dict]]:
    site, second, beta_site = alpha.sites_for_test[0], alpha.sites_for_test[1], beta.sites_for_test[0]
    double = people["double"]
    role_includes = {"_include": ["PractitionerRole:practitioner", "PractitionerRole:organization"]}
    return [
        ("Practitioner", {}),
        ("Practitioner", {"_revinclude": "PractitionerRole:practitioner"}),
        ("Practitioner", {"name": "lefevre", "_revinclude": "PractitionerRole:practitioner"}),
        ("Practitioner", {"family": "Lefèvre", "given": "Julie"}),
        ("Practitioner", {"identifier": HIDDEN_RPPS}),
        ("Practitioner", {"identifier": f"{codes.IDNAT_PS}|8{HIDDEN_RPPS}"}),
        ("Practitioner", {"_id": str(double.pk)}),
        ("Practitioner", {"_lastUpdated": "ge2000-01-01", "_count": "1"}),
        ("Practitioner", {"active": "false"}),
        ("PractitionerRole", role_includes),
        ("PractitionerRole", {"practitioner": f"Practitioner/{double.pk}", **role_includes}),
        *(("PractitionerRole", {"organization": str(where.pk), **role_includes})
          for where in (site, second, beta_site)),
        ("PractitionerRole", {"_id": ",".join(str(people[name].pk) for name in
                                              ("double_pending", "double_ended", "double_unpublished"))}),
        ("PractitionerRole", {"role": "GENR10", "_lastUpdated": "ge2000-01-01", **role_includes}),
        ("Organization", {"_revinclude": "PractitionerRole:organization", "_include": "Organization:partof"}),
        *(("Organization", {"_id": str(where.pk), "_revinclude": "PractitionerRole:organization"})
          for where in (site, second, beta_site)),
        ("metadata", {}),
    ]


def _assert_nothing_hidden(body: dict, text: str, people) -> None:
    double = people["double"]
    hidden_roles = {str(people[name].pk) for name in ("double_pending", "double_ended", "double_unpublished")}
    for forbidden in (HIDDEN_RPPS, double.email, double.mobile, "1980-01-0", "69123", people["julie"].email):
        assert forbidden not in text
    resources = [entry["resource"] for entry in body.get("entry", [])] if body["resourceType"] == "Bundle" else [body]
    for resource in resources:
        if resource["resourceType"] == "Practitioner":
            assert resource["id"] != str(double.pk)
        if resource["resourceType"] == "PractitionerRole":
            assert resource["id"] not in hidden_roles
            assert resource["practitioner"]["reference"] != f"Practitioner/{double.pk}"
        if resource["resourceType"] in ("Practitioner", "PractitionerRole"):
            assert not PERSON_FIELDS & set(resource)
        assert "telecom" not in resource and "contact" not in resource


@pytest.mark.rule("R-RPP-8", "R-RPP-11")
def test_nothing_of_an_unpublished_professional_nor_contact_or_birth_data_anywhere(client, people, alpha, beta):
    answered = 0
    for path, params in _searches(people, alpha, beta):
        response = client.get(f"/fhir/{path}", params)
        assert response.status_code == 200, (path, params, response.content)
        body = validated(response.json())
        # The answer less its self and next links, which repeat the search's own words.
        text = json.dumps(body.get("entry", []) if body["resourceType"] == "Bundle" else body, ensure_ascii=False)
        _assert_nothing_hidden(body, text, people)
        answered += len(body.get("entry", []))
    assert answered > 20  # the published ones are there all along
    for name in ("double_pending", "double_ended", "double_unpublished"):
        fhir(client, f"PractitionerRole/{people[name].pk}", status=404)
    fhir(client, f"Practitioner/{people['double'].pk}", status=404)
    for name in ("julie", "marc", "ines"):
        text = client.get(f"/fhir/Practitioner/{people[name].pk}").content.decode()
        _assert_nothing_hidden(validated(json.loads(text)), text, people)


@pytest.mark.rule("R-RPP-11")
def test_a_professional_leaves_the_directory_when_his_last_situation_ends(client, people):
    marc = people["marc"]
    assert fhir(client, f"Practitioner/{marc.pk}")["id"] == str(marc.pk)
    Situation.objects.filter(pk=people["marc_second"].pk).update(state="ended")
    fhir(client, f"Practitioner/{marc.pk}", status=404)
    fhir(client, f"PractitionerRole/{people['marc_second'].pk}", status=404)
    assert fhir(client, "Practitioner", identifier=marc.rpps).get("entry", []) == []
