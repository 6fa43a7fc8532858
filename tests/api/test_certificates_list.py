"""The certificates list: scoped to the caller's organisations, filtered, constant queries."""

from datetime import timedelta

from django.utils import timezone

from certificates import services
from esms_portal.models import IssuedCertificate
from tests.certificates import conftest as cast
from tests.kernel.pki_support import make_csr

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth

URL = "/api/v1/certificates/"


def ids(response):
    return {item["id"] for item in response.json()["results"]}


def order(dave, alpha, software, profile="ORG_SIGN"):
    return services.certificate_order(actor=dave, organisation=alpha, profile=profile, software_name=software,
                                      csr=make_csr(cn=software))


def test_members_and_administrators_list_their_organisations_certificates(api, org_auth, dave, alice, bob):
    for user in (dave, alice, bob):
        response = api(user).get(URL)
        assert response.status_code == 200 and ids(response) == {str(org_auth.pk)}


def test_an_item_summarises_the_certificate_without_key_material(api, org_auth, alice):
    (item,) = api(alice).get(URL).json()["results"]
    assert item["profile"] == "ORG_AUTH_CLI" and item["state"] == "issued" and item["software_name"] == "DUI Alpha"
    assert item["serial"] == org_auth.certificate.serial_hex and item["organisation"]["name"] == "Association Alpha"
    assert "pkcs12" not in item and "der" not in item


def test_an_outsider_sees_none_even_naming_the_organisation(api, org_auth, charlie, alpha):
    response = api(charlie).get(URL, {"organisation": str(alpha.pk)})
    assert response.status_code == 200 and len(response.json()["results"]) == 0


def test_an_agent_sees_every_organisation(api, org_auth, ana):
    assert ids(api(ana).get(URL)) == {str(org_auth.pk)}


def test_filters(api, org_auth, dave, alpha):
    sign = order(dave, alpha, "Soins", "ORG_SIGN")
    services.certificate_revoke(actor=dave, order=sign, reason="Remplacé")
    soon = order(dave, alpha, "Facturation", "ORG_AUTH_CLI")
    IssuedCertificate.objects.filter(pk=soon.certificate_id).update(not_after=timezone.now() + timedelta(days=20))
    client = api(dave)
    assert ids(client.get(URL, {"profile": "ORG_SIGN"})) == {str(sign.pk)}
    assert ids(client.get(URL, {"state": "revoked"})) == {str(sign.pk)}
    assert ids(client.get(URL, {"software": "factur"})) == {str(soon.pk)}
    assert ids(client.get(URL, {"expiring_days": 30})) == {str(soon.pk)}
    assert ids(client.get(URL, {"organisation": str(alpha.pk)})) == {str(org_auth.pk), str(sign.pk), str(soon.pk)}


def test_a_bad_filter_is_a_400(api, alice):
    for bad in ({"state": "perdu"}, {"profile": "CPS"}, {"expiring_days": -1}):
        response = api(alice).get(URL, bad)
        assert response.status_code == 400 and response.json()["code"] == "invalid_filter"


def test_the_list_costs_the_same_queries_for_2_or_8_certificates(api, f413_accepted, dave, alpha,
                                                                  django_assert_num_queries):
    client = api(dave)
    for n in range(2):
        order(dave, alpha, f"Logiciel {n}")
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(URL)
    for n in range(2, 8):
        order(dave, alpha, f"Logiciel {n}")
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 8


def test_without_a_token_the_answer_is_401(api):
    assert api().get(URL).status_code == 401
