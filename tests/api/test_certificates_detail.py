"""One certificate over the API: what it is, what it allows (R-CER-7), its links; 404 outside."""

import pytest

from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth


def url(order):
    return f"/api/v1/certificates/{order.pk}/"


@pytest.mark.rule("R-CER-7")
def test_the_detail_says_what_the_certificate_allows(api, org_auth, dave):
    data = api(dave).get(url(org_auth)).json()
    assert data["capabilities"] == {"feed_dmp": True, "call_insi": False, "consult_dmp": False}
    assert data["subject"] == org_auth.certificate.subject and len(data["fingerprint_sha256"]) == 64
    assert data["chain_pem"].endswith(f"/api/v1/certificates/{org_auth.pk}/chain/pem/")
    assert data["chain_der"].endswith(f"/api/v1/certificates/{org_auth.pk}/chain/der/")
    assert data["available_acts"] == ["revoke"] and data["history"][0]["act"] == "order"


def test_a_member_reads_it_without_acts(api, org_auth, alice):
    data = api(alice).get(url(org_auth)).json()
    assert data["id"] == str(org_auth.pk) and data["available_acts"] == []


def test_an_outsider_gets_404(api, org_auth, charlie):
    response = api(charlie).get(url(org_auth))
    assert response.status_code == 404 and response.json() == {"code": "not_found", "message": "Ressource introuvable."}
