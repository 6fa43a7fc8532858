"""Searches: identifiers, names, active, _lastUpdated, organization, role and specialty codes, partof,
_include and _revinclude, and pages by key (`_count`, `next` links)."""

from datetime import timedelta

from django.utils import timezone

from contracts.models import Structure
from rpps_plus.fhir import codes
from rpps_plus.models import Professional, Situation
from tests.fhir.conftest import fhir, ids, next_url, validated


def _pks(*objects) -> list[str]:
    return [str(item.pk) for item in objects]


def test_practitioners_by_identifier_in_either_system_or_none(client, people):
    julie = _pks(people["julie"])
    assert ids(fhir(client, "Practitioner", identifier=f"{codes.RPPS}|10000000001"), "Practitioner") == julie
    assert ids(fhir(client, "Practitioner", identifier=f"{codes.IDNAT_PS}|810000000001"), "Practitioner") == julie
    assert ids(fhir(client, "Practitioner", identifier="810000000001"), "Practitioner") == julie
    assert ids(fhir(client, "Practitioner", identifier="10000000001"), "Practitioner") == julie
    assert ids(fhir(client, "Practitioner", identifier=f"{codes.IDNAT_PS}|10000000001"), "Practitioner") == []
    assert ids(fhir(client, "Practitioner", identifier="http://other.example|10000000001"), "Practitioner") == []
    both = fhir(client, "Practitioner", identifier="10000000001,10000000002")
    assert ids(both, "Practitioner") == _pks(people["julie"], people["marc"])


def test_practitioners_by_name_family_and_given(client, people):
    assert ids(fhir(client, "Practitioner", name="lefevre"), "Practitioner") == _pks(people["julie"])
    assert ids(fhir(client, "Practitioner", family="LEFÈ"), "Practitioner") == _pks(people["julie"])
    assert ids(fhir(client, "Practitioner", name="durand marc"), "Practitioner") == _pks(people["marc"])
    assert ids(fhir(client, "Practitioner", given="ma"), "Practitioner") == _pks(people["marc"])
    assert ids(fhir(client, "Practitioner", given="Inès"), "Practitioner") == _pks(people["ines"])
    assert ids(fhir(client, "Practitioner", family="lef,pet"), "Practitioner") == _pks(people["julie"], people["ines"])
    assert ids(fhir(client, "Practitioner", family="durand", given="julie"), "Practitioner") == []
    assert ids(fhir(client, "Practitioner", active="true"), "Practitioner") == _pks(
        people["julie"], people["marc"], people["ines"])
    assert ids(fhir(client, "Practitioner", active="false"), "Practitioner") == []


def test_practitioners_with_their_roles_revincluded(client, people):
    bundle = fhir(client, "Practitioner", name="lef", _revinclude="PractitionerRole:practitioner")
    assert ids(bundle, "Practitioner") == _pks(people["julie"])
    assert sorted(ids(bundle, "PractitionerRole", "include")) == sorted(_pks(people["julie_site"],
                                                                              people["julie_second"]))
    entry = bundle["entry"][0]
    assert entry["fullUrl"] == f"http://testserver/fhir/Practitioner/{people['julie'].pk}"


def test_roles_by_organization_practitioner_role_and_specialty(client, people, alpha):
    second = alpha.sites_for_test[1]
    at_second = fhir(client, "PractitionerRole", organization=f"Organization/{second.pk}")
    assert sorted(ids(at_second, "PractitionerRole")) == sorted(_pks(people["julie_second"], people["marc_second"]))
    by_practitioner = fhir(client, "PractitionerRole", practitioner=str(people["julie"].pk))
    assert sorted(ids(by_practitioner, "PractitionerRole")) == sorted(_pks(people["julie_site"],
                                                                            people["julie_second"]))
    assert ids(fhir(client, "PractitionerRole", role=f"{codes.R22_ROLE}|GENR08"), "PractitionerRole") == _pks(
        people["julie_second"])
    assert ids(fhir(client, "PractitionerRole", role="313"), "PractitionerRole") == _pks(people["marc_second"])
    assert ids(fhir(client, "PractitionerRole", specialty=f"{codes.R85_PROFESSION}|328"), "PractitionerRole") == _pks(
        people["ines_beta"])
    assert ids(fhir(client, "PractitionerRole", specialty="GENR08"), "PractitionerRole") == []
    assert len(ids(fhir(client, "PractitionerRole", role=f"{codes.R23_MODE}|S"), "PractitionerRole")) == 4
    assert ids(fhir(client, "PractitionerRole", role=f"{codes.R22_ROLE}|326"), "PractitionerRole") == []


def test_roles_with_their_practitioners_and_organizations_included(client, people, alpha):
    second = alpha.sites_for_test[1]
    bundle = fhir(client, "PractitionerRole", organization=str(second.pk),
                  _include=["PractitionerRole:practitioner", "PractitionerRole:organization"])
    assert sorted(ids(bundle, "Practitioner", "include")) == sorted(_pks(people["julie"], people["marc"]))
    assert ids(bundle, "Organization", "include") == _pks(second)
    julie = next(entry["resource"] for entry in bundle["entry"] if entry["resource"]["id"] == str(people["julie"].pk)
                 and entry["resource"]["resourceType"] == "Practitioner")
    assert julie["name"] == [{"use": "usual", "family": "Lefèvre", "given": ["Julie"]}]


def test_organizations_by_identifier_name_partof_type_and_active(client, people, alpha, beta):
    site = alpha.sites_for_test[0]
    assert ids(fhir(client, "Organization", identifier=f"{codes.FINESS}|{site.finess}"), "Organization") == _pks(site)
    assert ids(fhir(client, "Organization", identifier=f"{codes.IDNAT_ST}|1{site.finess}"), "Organization") == _pks(
        site)
    assert ids(fhir(client, "Organization", identifier=f"{codes.IDNAT_ST}|{site.finess}"), "Organization") == []
    assert ids(fhir(client, "Organization", name="ehpad les"), "Organization") == _pks(site)
    assert sorted(ids(fhir(client, "Organization", partof=f"Organization/{alpha.pk}"), "Organization")) == sorted(
        _pks(*alpha.sites_for_test))
    legal = ids(fhir(client, "Organization", type="LEGAL-ENTITY"), "Organization")
    assert sorted(legal) == sorted(_pks(alpha, beta))
    Structure.objects.filter(pk=beta.pk).update(is_open=False)
    assert ids(fhir(client, "Organization", active="false"), "Organization") == _pks(beta)


def test_organizations_with_their_roles_revincluded_and_their_legal_entity_included(client, people, alpha):
    site = alpha.sites_for_test[0]
    bundle = fhir(client, "Organization", _id=str(site.pk), _revinclude="PractitionerRole:organization",
                  _include="Organization:partof")
    assert ids(bundle, "Organization") == _pks(site)
    assert ids(bundle, "Organization", "include") == _pks(alpha)
    assert ids(bundle, "PractitionerRole", "include") == _pks(people["julie_site"])


def test_last_updated_with_each_prefix(client, people):
    now = timezone.now()
    Professional.objects.filter(pk=people["marc"].pk).update(updated_at=now - timedelta(days=10))
    Situation.objects.filter(pk=people["marc_second"].pk).update(updated_at=now - timedelta(days=10))
    day = (now - timedelta(days=10)).astimezone(timezone.get_current_timezone()).date().isoformat()
    recent, marc = _pks(people["julie"], people["ines"]), _pks(people["marc"])
    assert ids(fhir(client, "Practitioner", _lastUpdated=f"gt{day}"), "Practitioner") == recent
    assert ids(fhir(client, "Practitioner", _lastUpdated=f"ge{day}"), "Practitioner") == marc + recent
    assert ids(fhir(client, "Practitioner", _lastUpdated=f"lt{day}"), "Practitioner") == []
    assert ids(fhir(client, "Practitioner", _lastUpdated=f"le{day}"), "Practitioner") == marc
    assert ids(fhir(client, "Practitioner", _lastUpdated=day), "Practitioner") == marc
    stamp = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(fhir(client, "PractitionerRole", _lastUpdated=f"lt{stamp}"), "PractitionerRole") == _pks(
        people["marc_second"])
    period = fhir(client, "Practitioner", _lastUpdated=[f"ge{day}", f"lt{stamp}"])
    assert ids(period, "Practitioner") == marc


def test_pages_follow_next_links_by_key_to_the_end(client, people, alpha):
    seen, url, pages = [], "/fhir/PractitionerRole?_count=1", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        bundle = validated(response.json())
        seen += ids(bundle, "PractitionerRole")
        url, pages = next_url(bundle), pages + 1
        assert pages <= 4
    assert pages == 4 and sorted(seen) == sorted(_pks(people["julie_site"], people["julie_second"],
                                                     people["marc_second"], people["ines_beta"]))
    assert "_count=1" in next_url(fhir(client, "PractitionerRole", _count="1"))


def test_a_count_above_the_maximum_is_lowered(client, people):
    assert len(ids(fhir(client, "PractitionerRole", _count="1000"), "PractitionerRole")) == 4


def test_a_professional_is_found_once_whatever_number_of_his_situations_match(client, people, beta):
    from tests.fhir.conftest import situation

    situation(people["julie"], beta.sites_for_test[0], last="Lefèvre-Martin")  # a third, another practice name
    seen, url = [], "/fhir/Practitioner?family=lef&_count=1&_revinclude=PractitionerRole:practitioner"
    while url:
        bundle = validated(client.get(url).json())
        seen += ids(bundle, "Practitioner")
        url = next_url(bundle)
    assert seen == _pks(people["julie"])
    only_later = fhir(client, "Practitioner", name="lefevre martin")
    assert ids(only_later, "Practitioner") == _pks(people["julie"])
    names = [name["family"] for name in only_later["entry"][0]["resource"]["name"]]
    assert names == ["Lefèvre", "Lefèvre-Martin"]


def test_a_search_by_name_combines_with_the_professional_criteria(client, people):
    from datetime import timedelta

    julie, marc = people["julie"], people["marc"]
    assert ids(fhir(client, "Practitioner", family="lef,dur", identifier="10000000002"), "Practitioner") == _pks(marc)
    assert ids(fhir(client, "Practitioner", family="lef,dur", _id=str(julie.pk)), "Practitioner") == _pks(julie)
    assert ids(fhir(client, "Practitioner", family="lef", active="false"), "Practitioner") == []
    Professional.objects.filter(pk=julie.pk).update(updated_at=timezone.now() - timedelta(days=30))
    recent = f"ge{(timezone.now() - timedelta(days=1)).date().isoformat()}"
    assert ids(fhir(client, "Practitioner", family="lef,dur", _lastUpdated=recent), "Practitioner") == _pks(marc)
    assert ids(fhir(client, "Organization", _lastUpdated=recent, _count="100"), "Organization")
    assert ids(fhir(client, "Organization", _lastUpdated="lt2000-01-01"), "Organization") == []


def test_revincluded_roles_are_capped_with_a_warning_outcome(client, people, alpha, monkeypatch):
    from rpps_plus.fhir import search

    monkeypatch.setattr(search, "REVINCLUDE_CAP", 2)
    bundle = fhir(client, "Organization", partof=str(alpha.pk), _revinclude="PractitionerRole:organization")
    assert len(ids(bundle, "PractitionerRole", "include")) == 2
    outcome = [entry for entry in bundle["entry"] if entry["search"]["mode"] == "outcome"]
    assert [entry["resource"]["issue"][0]["severity"] for entry in outcome] == ["warning"]
